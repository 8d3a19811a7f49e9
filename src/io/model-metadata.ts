import type { SavedStage } from "../core/saved-stage.js";
import { InputError } from "../core/errors.js";
import { toSparkJson } from "../core/spark-json.js";

/** Spark version recpipe claims in metadata when the stage names none (>= 3 so Spark reads labelsArray, not labels). */
export const DEFAULT_SPARK_VERSION = "3.5.0";

const STANDARD_KEYS = ["class", "timestamp", "sparkVersion", "uid", "paramMap", "defaultParamMap"] as const;

/** Spark's metadata line: compact JSON, keys class, timestamp, sparkVersion, uid, paramMap, defaultParamMap, then extras. */
export function encodeMetadata(saved: SavedStage, where: string): string {
  const obj: Record<string, unknown> = {
    class: saved.className,
    timestamp: saved.timestamp ?? Date.now(),
    sparkVersion: saved.sparkVersion ?? DEFAULT_SPARK_VERSION,
    uid: saved.uid,
    paramMap: saved.paramMap,
    // Spark >= 2.4 readers expect the key; an empty map is what Spark writes for stages without defaults.
    defaultParamMap: saved.defaultParamMap ?? {},
  };
  for (const [k, v] of Object.entries(saved.extra ?? {})) {
    if ((STANDARD_KEYS as readonly string[]).includes(k)) {
      throw new Error(`${where}: extra metadata key "${k}" collides with a standard Spark metadata key`);
    }
    obj[k] = v;
  }
  return toSparkJson(obj);
}

/** Parses a metadata line into the SavedStage fields it carries (no tables or children). */
export function decodeMetadata(text: string, file: string): SavedStage {
  const line = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .find((l) => l.trim() !== "");
  if (line === undefined) throw new InputError("E_MODEL", `${file}: metadata file is empty`);
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (e) {
    throw new InputError("E_MODEL", `${file}: metadata is not JSON (${(e as Error).message})`);
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    throw new InputError("E_MODEL", `${file}: metadata must be a JSON object, found ${Array.isArray(obj) ? "an array" : typeof obj}`);
  }
  const m = obj as Record<string, unknown>;
  if (typeof m.class !== "string" || m.class === "") throw new InputError("E_MODEL", `${file}: metadata has no "class"`);
  if (m.uid !== undefined && typeof m.uid !== "string") throw new InputError("E_MODEL", `${file}: metadata "uid" must be a string`);
  const asMap = (key: string): Record<string, unknown> | undefined => {
    const v = m[key];
    if (v === undefined) return undefined;
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new InputError("E_MODEL", `${file}: metadata "${key}" must be a JSON object`);
    return v as Record<string, unknown>;
  };
  const saved: SavedStage = {
    className: m.class,
    uid: (m.uid as string | undefined) ?? "",
    paramMap: asMap("paramMap") ?? {},
  };
  const defaults = asMap("defaultParamMap");
  if (defaults !== undefined) saved.defaultParamMap = defaults;
  if (typeof m.sparkVersion === "string") saved.sparkVersion = m.sparkVersion;
  if (typeof m.timestamp === "number") saved.timestamp = m.timestamp;
  const extra: Record<string, unknown> = {};
  let hasExtra = false;
  for (const [k, v] of Object.entries(m)) {
    if ((STANDARD_KEYS as readonly string[]).includes(k)) continue;
    extra[k] = v;
    hasExtra = true;
  }
  if (hasExtra) saved.extra = extra;
  return saved;
}
