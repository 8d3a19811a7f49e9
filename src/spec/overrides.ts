import { parse } from "yaml";
import { didYouMean, InputError } from "../core/errors.js";

/** One `--set KEY=VALUE`: the key path (stage segments resolved to list indices) and the YAML-parsed value. */
export interface Override {
  text: string;
  path: (string | number)[];
  value: unknown;
}

const STAGE_LISTS = new Set(["prepare", "pipeline", "evaluate"]);

/**
 * Applies `--set a.b=v` overrides to the merged pipeline object. Stages are addressed by `name` (default: `type`):
 * `--set pipeline.als.rank=16`; grid keys whole: `--set tune.paramGrid.als.regParam=[0.3,1,3]` (see keySegments). A stage name that does not exist is an error here; a key that does not exist is
 * reported by schema validation, which names the --set it came from.
 */
export function applyOverrides(obj: Record<string, unknown>, sets: string[]): { value: Record<string, unknown>; overrides: Override[] } {
  const out = structuredClone(obj);
  const overrides: Override[] = [];
  for (const text of sets) {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new InputError("E_ARGS", `--set ${text}: expected KEY=VALUE (e.g. --set pipeline.als.rank=16)`);
    const key = text.slice(0, eq);
    let value: unknown;
    try {
      value = parse(text.slice(eq + 1), { schema: "core" });
    } catch (e) {
      throw new InputError("E_ARGS", `--set ${text}: the value is not valid YAML (${(e as Error).message.split("\n")[0]})`);
    }
    const segs = gridKeyAsOneSegment(keySegments(key, text));
    const path: (string | number)[] = [];
    let cur: unknown = out;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const last = i === segs.length - 1;
      if (Array.isArray(cur)) {
        const idx = resolveListIndex(cur, seg, path, text);
        path.push(idx);
        if (last) cur[idx] = value;
        else cur = cur[idx];
        continue;
      }
      if (cur === null || typeof cur !== "object") {
        throw new InputError("E_ARGS", `--set ${text}: "${path.join(".")}" is ${JSON.stringify(cur)}, not a mapping, so it has no key "${seg}"`);
      }
      const o = cur as Record<string, unknown>;
      path.push(seg);
      if (last) o[seg] = value;
      else {
        if (o[seg] === undefined) o[seg] = {};
        cur = o[seg];
      }
    }
    overrides.push({ text, path, value });
  }
  return { value: out, overrides };
}

/**
 * `a.b.c` -> [a, b, c]; a bracketed segment is taken whole, dots and all: `tune.paramGrid["als.regParam"]` (or
 * `['als.regParam']`, or unquoted `[als.regParam]`) -> [tune, paramGrid, als.regParam]; `pipeline["my.stage"].rank`.
 */
export function keySegments(key: string, text = key): string[] {
  const segs: string[] = [];
  let i = 0;
  const bad = (why: string) =>
    new InputError("E_ARGS", `--set ${text}: ${why} in key "${key}" (write a key with dots in it as tune.paramGrid["als.regParam"])`);
  while (i < key.length) {
    if (key[i] === "[") {
      const q = key[i + 1];
      const quoted = q === '"' || q === "'";
      const close = quoted ? key.indexOf(`${q}]`, i + 2) : key.indexOf("]", i + 1);
      if (close < 0) throw bad(`unclosed "[" at character ${i + 1}`);
      const seg = quoted ? key.slice(i + 2, close) : key.slice(i + 1, close);
      if (seg === "") throw bad("empty brackets");
      segs.push(seg);
      i = close + (quoted ? 2 : 1);
      if (i < key.length && key[i] !== "." && key[i] !== "[") throw bad(`"${key[i]}" after "]" (expected "." or "[")`);
      if (key[i] === ".") {
        i++;
        if (i === key.length) throw bad("empty segment");
      }
      continue;
    }
    let j = i;
    while (j < key.length && key[j] !== "." && key[j] !== "[") j++;
    if (j === i) throw bad("empty segment");
    segs.push(key.slice(i, j));
    i = key[j] === "." ? j + 1 : j;
    if (key[j] === "." && i === key.length) throw bad("empty segment");
  }
  return segs;
}

/**
 * paramGrid and baseOn keys are `stage.param` (a dot in the key itself), and their values are lists or values, never
 * mappings: so everything after `tune.paramGrid.` is one key, and `tune.paramGrid.als.regParam=[0.3, 1]` sets the
 * grid key `als.regParam`. A stage whose name holds a dot needs the bracketed form.
 */
function gridKeyAsOneSegment(segs: string[]): string[] {
  if (segs.length > 3 && segs[0] === "tune" && (segs[1] === "paramGrid" || segs[1] === "baseOn")) return [segs[0], segs[1], segs.slice(2).join(".")];
  return segs;
}

function resolveListIndex(list: unknown[], seg: string, path: (string | number)[], text: string): number {
  if (/^\d+$/.test(seg)) {
    const i = Number(seg);
    if (i >= list.length) throw new InputError("E_ARGS", `--set ${text}: ${path.join(".")} has ${list.length} entries; index ${i} does not exist`);
    return i;
  }
  const names = list.map((s) => stageName(s));
  const idx = names.indexOf(seg);
  if (idx < 0) {
    const where = STAGE_LISTS.has(String(path[path.length - 1])) ? `${String(path[path.length - 1])} stage` : "entry";
    throw new InputError("E_ARGS", `--set ${text}: no ${where} is named "${seg}"${didYouMean(seg, names)}; names: ${names.join(", ")}`);
  }
  return idx;
}

function stageName(s: unknown): string {
  if (s && typeof s === "object") {
    const o = s as Record<string, unknown>;
    return String(o.name ?? o.type ?? "");
  }
  return "";
}
