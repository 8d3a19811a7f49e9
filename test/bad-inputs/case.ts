import type { CliResult } from "./run-cli.js";

export type Area = "CLI arguments" | "pipeline file" | "data file" | "model directory";

export interface CaseContext {
  /** The case's own temp dir, also the CLI's working directory. */
  dir: string;
  /** A valid model directory (from one fixture run), to copy and break. */
  model: string;
}

/**
 * One bad (or valid but awkward) input: the fixtures it writes, the command, and what recpipe must answer. Each case
 * is a test, and a row of docs/bad-inputs.md (generated from the results, so the doc cannot drift from the code).
 */
export interface BadInputCase {
  id: string;
  area: Area;
  /** What is wrong with the input, for the doc. */
  input: string;
  setup: (c: CaseContext) => void;
  args: string[];
  /** Shell commands run before the CLI in the same process (e.g. `ulimit -f 0`); say why in `input`. */
  shellPrefix?: string;
  exit: 0 | 2;
  /** Substrings (or patterns) the stderr message must hold (exit 2): the file/key/column, expected and found. */
  message?: (string | RegExp)[];
  /** Exit 0: what happens, for the doc; `verify` asserts it. */
  outcome?: string;
  verify?: (r: CliResult, c: CaseContext) => void;
}
