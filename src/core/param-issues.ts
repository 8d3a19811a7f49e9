import type { z } from "zod";
import { InputError, suggest } from "./errors.js";

/** One problem with a param value, with its key path relative to the object that was validated. */
export interface ParamIssue {
  path: (string | number)[];
  message: string;
}

/**
 * A pipeline-file or param problem. `issues` keep their key paths so the pipeline loader can prefix each one with
 * the YAML file position and the full key path (`pipelines/x.yaml:14:12 pipeline[1] (als).rank ...`).
 */
export class SpecError extends InputError {
  readonly issues: ParamIssue[];
  constructor(issues: ParamIssue[], context = "") {
    super("E_SPEC", formatIssues(issues, context));
    this.name = "SpecError";
    this.issues = issues;
  }
}

export function formatIssues(issues: ParamIssue[], context = ""): string {
  return issues.map((i) => `${joinPath(context, i.path)} ${i.message}`.trim()).join("\n");
}

export function joinPath(base: string, path: (string | number)[]): string {
  let out = base;
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** Turns zod issues into messages that say what was expected and what was found, with "did you mean" for unknown keys. */
export function issuesFromZod(error: z.ZodError, input: unknown, knownKeys: (path: (string | number)[]) => string[]): ParamIssue[] {
  const out: ParamIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys(path);
      for (const key of issue.keys) {
        const s = suggest(key, known);
        out.push({
          path: [...path, key],
          message: `is not a known key${s ? ` (did you mean "${s}"?)` : ""}; known keys: ${known.join(", ")}`,
        });
      }
      continue;
    }
    const found = valueAt(input, path);
    out.push({ path, message: `${describeExpectation(issue)}; got ${describeValue(found)}` });
  }
  return out;
}

function describeExpectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_small":
      return `must be ${issue.origin === "array" ? "a list with length " : ""}${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}`;
    case "too_big":
      return `must be ${issue.origin === "array" ? "a list with length " : ""}${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_type":
      return `must be ${article(issue.expected === "int" ? "integer" : issue.expected)}`;
    case "invalid_format":
      return `must be ${issue.format}`;
    default:
      return issue.message.replace(/^Invalid input: /, "must be valid: ");
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" && !Number.isInteger(v) && Number.isFinite(v)) return String(v);
  if (typeof v === "object") return Array.isArray(v) ? `a list ${JSON.stringify(v).slice(0, 60)}` : `an object ${JSON.stringify(v).slice(0, 60)}`;
  return String(v);
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let cur: unknown = input;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}
