import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../core/errors.js";
import type { StageRegistry } from "../core/registry.js";
import { createRegistry } from "../../stages/index.js";
import { displayPath } from "../io/display-path.js";
import { isTemporaryRunFolder, looksLikeRunDirectory, readRunSummary, type RunSummary } from "./run-summary.js";

export interface ListedRun extends RunSummary {
  /** Only the params whose value differs between the listed runs. */
  differing: Record<string, unknown>;
  /** Metric key -> relative gain over the best baseline for that metric (0.12 = 12% better; negative = worse). */
  gains: Record<string, { gain: number; baseline: string; baselineValue: number }>;
}

export interface RunListing {
  runs: ListedRun[];
  /** Param keys that differ between the listed (readable) runs, in first-seen order. */
  differingKeys: string[];
  /** Every metric key of the listed runs, in first-seen order. */
  metricKeys: string[];
}

/** Keys every run records but that say nothing about the experiment (they always differ, or are paths). */
const NOT_PARAMS = new Set(["name", "output.dir"]);

/**
 * `recpipe runs`: every run directory under the given folders (or the folders themselves when they are runs), newest
 * first or sorted by a metric, best first. A damaged or unfinished run is listed with what is wrong, never an error.
 */
export function listRuns(dirs: string[], opts: { sort?: string; registry?: StageRegistry } = {}): RunListing {
  const registry = opts.registry ?? createRegistry();
  const found: string[] = [];
  for (const d of dirs) found.push(...runDirectoriesIn(d));
  const summaries = [...new Set(found.map((d) => resolve(d)))].map((d) => readRunSummary(d, registry));
  const differingKeys = differingParamKeys(summaries);
  const metricKeys = [...new Set(summaries.flatMap((s) => Object.keys(s.metrics)))];
  const runs: ListedRun[] = summaries.map((s) => ({
    ...s,
    differing: Object.fromEntries(differingKeys.filter((k) => k in s.params).map((k) => [k, s.params[k]])),
    gains: gainsOverBaselines(s),
  }));
  if (opts.sort) {
    const key = opts.sort;
    if (!metricKeys.includes(key)) {
      throw new InputError("E_ARGS", `runs --sort ${key}: no listed run has metric "${key}"; metrics: ${metricKeys.join(", ") || "(none)"}`);
    }
    const larger = runs.find((r) => key in r.largerIsBetter)?.largerIsBetter[key] ?? false;
    runs.sort((a, b) => {
      const x = a.metrics[key], y = b.metrics[key];
      const xn = !Number.isFinite(x), yn = !Number.isFinite(y);
      if (xn || yn) return xn === yn ? newestFirst(a, b) : xn ? 1 : -1;
      return (larger ? y - x : x - y) || newestFirst(a, b);
    });
  } else runs.sort(newestFirst);
  return { runs, differingKeys, metricKeys };
}

function newestFirst(a: RunSummary, b: RunSummary): number {
  return b.createdAt.localeCompare(a.createdAt) || a.run.localeCompare(b.run);
}

/** A folder that is a run directory, or the run directories (finished or not) directly inside it. */
function runDirectoriesIn(dir: string): string[] {
  if (!existsSync(dir)) throw new InputError("E_FILE", `runs: ${displayPath(resolve(dir))} does not exist; give a folder of run directories (a pipeline's output.dir, e.g. runs) or a run directory`);
  if (!statSync(dir).isDirectory()) throw new InputError("E_FILE", `runs: ${displayPath(resolve(dir))} is a file; give a folder of run directories or a run directory`);
  if (looksLikeRunDirectory(dir)) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && (isTemporaryRunFolder(e.name) || !e.name.startsWith(".")))
    .map((e) => join(dir, e.name))
    .filter(looksLikeRunDirectory);
}

/** Keys whose value is not the same in every readable run (a key missing from some runs differs too). */
export function differingParamKeys(runs: RunSummary[]): string[] {
  const readable = runs.filter((r) => Object.keys(r.params).length > 0);
  if (readable.length < 2) return [];
  const keys = [...new Set(readable.flatMap((r) => Object.keys(r.params)))].filter((k) => !NOT_PARAMS.has(k));
  return keys.filter((k) => new Set(readable.map((r) => JSON.stringify(r.params[k]))).size > 1);
}

/** Gain of each metric over the best baseline that reports it, relative to the baseline, signed so positive is better. */
export function gainsOverBaselines(s: RunSummary): ListedRun["gains"] {
  const out: ListedRun["gains"] = {};
  for (const [metric, value] of Object.entries(s.metrics)) {
    const larger = s.largerIsBetter[metric];
    if (larger === undefined || !Number.isFinite(value)) continue;
    let best: { baseline: string; baselineValue: number } | undefined;
    for (const [baseline, ms] of Object.entries(s.baselines)) {
      const v = ms[metric];
      if (!Number.isFinite(v)) continue;
      if (!best || (larger ? v > best.baselineValue : v < best.baselineValue)) best = { baseline, baselineValue: v };
    }
    if (!best || best.baselineValue === 0) continue;
    const gain = (larger ? value - best.baselineValue : best.baselineValue - value) / Math.abs(best.baselineValue);
    out[metric] = { gain, ...best };
  }
  return out;
}
