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
 * `--set pipeline.als.rank=16`. A stage name that does not exist is an error here; a key that does not exist is
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
    const segs = key.split(".");
    if (segs.some((s) => s === "")) throw new InputError("E_ARGS", `--set ${text}: empty segment in key "${key}"`);
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
