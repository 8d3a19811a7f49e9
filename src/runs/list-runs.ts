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
  /**
   * Param keys that differ between the listed (readable) runs, in first-seen order. A block some runs lack as a whole
   * (a `tune` block, a stage) is one key, `tune`, not one per sub-key; its value is the block's `type` (see blockValue).
   */
  differingKeys: string[];
  /** `tune.best.<stage.param>`: the params the tuner chose, for every listed tuned run (shown whether or not they differ). */
  chosenKeys: string[];
  /** Every metric key of the listed runs, in first-seen order. */
  metricKeys: string[];
}

/** Keys every run records but that say nothing about the experiment (they always differ, or are paths). */
const NOT_PARAMS = new Set(["name", "output.dir"]);

/**
 * `recpipe runs`: every run directory under the given folders (or the folders themselves when they are runs), newest
 * first or sorted by a metric, best first. A damaged or unfinished run is listed with what is wrong, never an error.
 */
export function listRuns(dirs: string[], opts: { sort?: string; name?: string; registry?: StageRegistry } = {}): RunListing {
  const registry = opts.registry ?? createRegistry();
  const found: string[] = [];
  for (const d of dirs) found.push(...runDirectoriesIn(d));
  const named = opts.name === undefined ? undefined : globToRegExp(opts.name);
  const summaries = [...new Set(found.map((d) => resolve(d)))].map((d) => readRunSummary(d, registry)).filter((s) => !named || named.test(s.run));
  const differingKeys = differingParamKeys(summaries).filter((k) => !k.startsWith(CHOSEN));
  const chosenKeys = [...new Set(summaries.flatMap((s) => Object.keys(s.params).filter((k) => k.startsWith(CHOSEN))))];
  const metricKeys = [...new Set(summaries.flatMap((s) => Object.keys(s.metrics)))];
  const runs: ListedRun[] = summaries.map((s) => ({
    ...s,
    differing: Object.fromEntries(differingKeys.map((k) => [k, blockValue(s.params, k)]).filter(([, v]) => v !== undefined)),
    gains: gainsOverBaselines(s),
  }));
  if (opts.sort) {
    const key = opts.sort;
    if (!metricKeys.includes(key)) {
      throw new InputError("E_ARGS", `runs --sort ${key}: no listed run has metric "${key}"; metrics: ${metricKeys.join(", ") || "(none)"}`);
    }
    const larger = runs.find((r) => key in r.largerIsBetter)?.largerIsBetter[key] ?? false;
    runs.sort((a, b) => {
      const x = a.metrics[key],
        y = b.metrics[key];
      const xn = !Number.isFinite(x),
        yn = !Number.isFinite(y);
      if (xn || yn) return xn === yn ? newestFirst(a, b) : xn ? 1 : -1;
      return (larger ? y - x : x - y) || newestFirst(a, b);
    });
  } else runs.sort(newestFirst);
  return { runs, differingKeys, chosenKeys, metricKeys };
}

/** Where readRunSummary puts the tuner's best param map: `tune.best.als.regParam`. */
const CHOSEN = "tune.best.";

/** `--name GLOB`: shell-style over the whole run name; `*` any run of characters, `?` one character. */
function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
  );
}

/**
 * A run's value for a listing key: the param itself, or for a collapsed block (`tune`, `pipeline.als`) its `type`
 * (a file source: its `path`; else "yes"), undefined when the run lacks it.
 */
export function blockValue(params: Record<string, unknown>, key: string): unknown {
  if (key in params) return params[key];
  if (!Object.keys(params).some((k) => k.startsWith(`${key}.`))) return undefined;
  return params[`${key}.type`] ?? params[`${key}.path`] ?? "yes";
}

function newestFirst(a: RunSummary, b: RunSummary): number {
  return b.createdAt.localeCompare(a.createdAt) || a.run.localeCompare(b.run);
}

/** A folder that is a run directory, or the run directories (finished or not) directly inside it. */
function runDirectoriesIn(dir: string): string[] {
  if (!existsSync(dir))
    throw new InputError(
      "E_FILE",
      `runs: ${displayPath(resolve(dir))} does not exist; give a folder of run directories (a pipeline's output.dir, e.g. runs) or a run directory`,
    );
  if (!statSync(dir).isDirectory())
    throw new InputError("E_FILE", `runs: ${displayPath(resolve(dir))} is a file; give a folder of run directories or a run directory`);
  if (looksLikeRunDirectory(dir)) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && (isTemporaryRunFolder(e.name) || !e.name.startsWith(".")))
    .map((e) => join(dir, e.name))
    .filter(looksLikeRunDirectory);
}

/**
 * Keys whose value is not the same in every readable run (a key missing from some runs differs too). A key inside a
 * block that some runs lack entirely (`tune.evaluator.throughOrigin` when one run is not tuned), or whose `type`
 * differs between runs (`source.path` of a file source against a synthetic one), is replaced by the outermost such
 * block (`tune`, `source`), once: the reader learns which block each run has, not its every sub-key.
 */
export function differingParamKeys(runs: RunSummary[]): string[] {
  const readable = runs.filter((r) => Object.keys(r.params).length > 0);
  if (readable.length < 2) return [];
  const keys = [...new Set(readable.flatMap((r) => Object.keys(r.params)))].filter((k) => !NOT_PARAMS.has(k));
  const differing = keys.filter((k) => new Set(readable.map((r) => JSON.stringify(r.params[k]))).size > 1);
  const blocks = readable.map((r) => {
    const prefixes = new Set<string>();
    for (const k of Object.keys(r.params)) {
      const segs = k.split(".");
      for (let i = 1; i < segs.length; i++) prefixes.add(segs.slice(0, i).join("."));
    }
    return prefixes;
  });
  const out: string[] = [];
  for (const k of differing) {
    const segs = k.split(".");
    let col = k;
    for (let i = 1; i < segs.length; i++) {
      const block = segs.slice(0, i).join(".");
      if (block === "tune.best") break; // the tuner's choices are listed one by one (chosenKeys)
      const has = blocks.filter((b) => b.has(block)).length;
      // A block of another `type` in some runs (a file source against a synthetic one) differs as a whole too.
      const types = new Set(readable.map((r) => JSON.stringify(r.params[`${block}.type`])));
      if ((has > 0 && has < readable.length) || types.size > 1) {
        col = block;
        break;
      }
    }
    if (!out.includes(col)) out.push(col);
  }
  return out;
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
