/**
 * Errors with stable codes. Exit code 2 means the user's input is wrong (arguments, pipeline file, data,
 * model directory); exit code 1 means recpipe itself failed. The CLI prints `message` alone for exit 2
 * (no stack unless RECPIPE_DEBUG=1), so every message names the file, key or column, what was expected
 * and what was found.
 */
export type ErrorCode =
  | "E_ARGS" // command-line arguments
  | "E_YAML" // pipeline file is not valid YAML
  | "E_SPEC" // pipeline file violates the schema (unknown key, wrong type, out of range)
  | "E_COLUMN" // a column is missing or has the wrong type
  | "E_DATA" // data file content is invalid (bad row, NaN rating, id out of range, ...)
  | "E_FILE" // a file or directory cannot be read or written
  | "E_MODEL" // a model directory is invalid
  | "E_PLUGINS" // a pipeline file names plugin modules and the user did not allow them to run
  | "E_UNSUPPORTED" // a model class or feature recpipe does not implement
  | "E_NUMERIC" // the maths cannot proceed on this input (singular system, ...)
  | "E_TRACKING" // an MLflow tracking server is unreachable, refuses recpipe, or its experiment cannot be used
  | "E_INTERRUPTED"
  | "E_SERVER_LOST" // a remote server (Spark Connect) went away or stopped answering mid-run: exit 1, not a bug
  | "E_INTERNAL";

export class RecpipeError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: 1 | 2;
  constructor(code: ErrorCode, message: string, exitCode: 1 | 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RecpipeError";
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Invalid input from the user: exit 2. */
export class InputError extends RecpipeError {
  constructor(code: Exclude<ErrorCode, "E_INTERNAL">, message: string, options?: { cause?: unknown }) {
    super(code, message, 2, options);
    this.name = "InputError";
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof RecpipeError && e.exitCode === 2;
}

/** "did you mean" for a misspelled name, by edit distance; undefined when nothing is close. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  return bestDist <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  return s ? ` (did you mean "${s}"?)` : "";
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}
