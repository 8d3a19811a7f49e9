import { SparkDouble } from "./spark-json.js";
import type { SavedStage } from "./saved-stage.js";

/**
 * Raw params for a stage's zod schema from saved Spark metadata: defaults overlaid by explicitly set values,
 * restricted to the params recpipe declares (Spark writes some recpipe has no use for). `explicit` lists what the
 * saved stage had set, so a re-save writes the same paramMap.
 */
export function paramsFromSaved(
  saved: SavedStage,
  known: readonly string[],
  dropDefaults: readonly string[] = [],
): { raw: Record<string, unknown>; explicit: Set<string> } {
  const raw: Record<string, unknown> = {};
  const explicit = new Set<string>();
  const knownSet = new Set(known);
  for (const [k, v] of Object.entries(saved.defaultParamMap ?? {})) if (knownSet.has(k) && !dropDefaults.includes(k)) raw[k] = decodeSparkParam(v);
  for (const [k, v] of Object.entries(saved.paramMap)) {
    if (!knownSet.has(k)) continue;
    raw[k] = decodeSparkParam(v);
    explicit.add(k);
  }
  return { raw, explicit };
}

/** Inverse of Spark's Param.jsonEncode for doubles (and of SparkDouble, for a SavedStage that never left memory). */
function decodeSparkParam(v: unknown): unknown {
  if (v instanceof SparkDouble) return v.value;
  if (v === "NaN") return NaN;
  if (v === "Inf") return Infinity;
  if (v === "-Inf") return -Infinity;
  return v;
}
