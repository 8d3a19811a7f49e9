import { displayPath } from "../io/display-path.js";
import { dirname, resolve } from "node:path";
import { InputError } from "../core/errors.js";
import { readYamlFile, type YamlFile } from "./yaml-file.js";

/**
 * `include: [fragment.yaml, ...]` pulls reusable fragments (configs/) into a pipeline file. Fragments are merged in
 * order, then the file's own keys win; mappings merge key by key, lists are replaced whole. A file that includes
 * itself, directly or through others, is an error.
 */
export function resolveIncludes(file: YamlFile, chain: string[] = []): { value: Record<string, unknown>; files: YamlFile[] } {
  const own = file.value;
  if (own === null || typeof own !== "object" || Array.isArray(own)) {
    throw new InputError(
      "E_SPEC",
      `${file.display}: a pipeline file must be a mapping of keys (name, source, pipeline, ...); found ${own === null ? "an empty document" : Array.isArray(own) ? "a list" : typeof own}`,
    );
  }
  const obj = own as Record<string, unknown>;
  const files: YamlFile[] = [file];
  const includes = obj.include;
  if (includes === undefined) return { value: obj, files };
  if (!Array.isArray(includes) || includes.some((x) => typeof x !== "string")) {
    throw new InputError("E_SPEC", `${file.display}: include must be a list of file paths; got ${JSON.stringify(includes)}`);
  }
  let merged: Record<string, unknown> = {};
  for (const inc of includes as string[]) {
    const path = resolve(dirname(file.path), inc);
    const seen = [...chain, file.path];
    if (seen.includes(path)) {
      throw new InputError("E_SPEC", `${file.display}: include "${inc}" forms a cycle (${[...seen, path].map(displayPath).join(" -> ")})`);
    }
    const frag = readYamlFile(path, displayPath(path));
    const sub = resolveIncludes(frag, seen);
    merged = deepMerge(merged, sub.value);
    files.push(...sub.files);
  }
  const { include: _ignored, ...rest } = obj;
  return { value: deepMerge(merged, rest), files };
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
