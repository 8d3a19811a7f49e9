import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Table } from "apache-arrow";
import { InputError } from "../core/errors.js";
import type { StageRegistry } from "../core/registry.js";
import { readTable } from "../io/read-table.js";
import { createRegistry } from "../../stages/index.js";
import { displayPath } from "../io/display-path.js";
import { blockValue, differingParamKeys, gainsOverBaselines, type ListedRun } from "./list-runs.js";
import { looksLikeRunDirectory, readRunSummary } from "./run-summary.js";

export interface RecommendationOverlap {
  /** The run compared with the first one. */
  run: string;
  /** Mean over users in both runs of |top-k(A) ∩ top-k(B)| / k, with k the shorter of the two lists; undefined when not computable. */
  meanOverlap?: number;
  /** Users with a list in both runs (the ones averaged). */
  usersCompared: number;
  usersOnlyInFirst: number;
  usersOnlyInThis: number;
  /** Why there is no overlap figure (a run without recommendations.parquet, ...). */
  note?: string;
}

export interface RunComparison {
  runs: ListedRun[];
  /** Params (resolved pipeline keys, seed, data hash, recpipe version) whose value differs, with each run's value. */
  differences: { key: string; values: unknown[] }[];
  /** The params each tuned run's tuner chose (`tune.best.als.regParam`), whether or not they differ; empty when none was tuned. */
  chosen: { key: string; values: unknown[] }[];
  metricKeys: string[];
  /** Each later run's recommendations against the first run's. */
  overlap: RecommendationOverlap[];
}

/**
 * `recpipe compare RUN-A RUN-B...`: what differs between the runs' resolved pipeline files and manifests, their
 * metrics side by side, and how much their recommendations agree, from the run directories alone.
 */
export async function compareRuns(dirs: string[], opts: { registry?: StageRegistry } = {}): Promise<RunComparison> {
  if (dirs.length < 2) throw new InputError("E_ARGS", `compare: give at least two run directories; got ${dirs.length}`);
  const registry = opts.registry ?? createRegistry();
  const runs: ListedRun[] = dirs.map((d) => {
    const abs = resolve(d);
    if (!existsSync(abs) || !statSync(abs).isDirectory())
      throw new InputError("E_FILE", `compare: ${displayPath(abs)} is not a directory; give run directories (e.g. runs/quickstart-20260101-120000)`);
    if (!looksLikeRunDirectory(abs))
      throw new InputError(
        "E_FILE",
        `compare: ${displayPath(abs)} is not a run directory (no pipeline.yaml, manifest.json or metrics.json); \`recpipe runs ${displayPath(abs)}\` lists the runs inside a folder`,
      );
    const s = readRunSummary(abs, registry);
    return { ...s, differing: {}, gains: gainsOverBaselines(s) };
  });
  const keys = differingParamKeys(runs).filter((k) => !k.startsWith("tune.best."));
  for (const r of runs) r.differing = Object.fromEntries(keys.map((k) => [k, blockValue(r.params, k)]));
  if (new Set(runs.map((r) => r.params.name)).size > 1) keys.unshift("name");
  const differences = keys.map((key) => ({ key, values: runs.map((r) => blockValue(r.params, key)) }));
  const chosenKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params).filter((k) => k.startsWith("tune.best."))))];
  const chosen = chosenKeys.map((key) => ({ key, values: runs.map((r) => r.params[key]) }));
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  const first = await readRecommendations(runs[0].dir);
  const overlap: RecommendationOverlap[] = [];
  for (const r of runs.slice(1)) overlap.push(overlapOf(first, await readRecommendations(r.dir), r.run, runs[0].run));
  return { runs, differences, chosen, metricKeys, overlap };
}

type Lists = { lists: Map<string, string[]> } | { note: string };

async function readRecommendations(dir: string): Promise<Lists> {
  const file = join(dir, "recommendations.parquet");
  if (!existsSync(file)) return { note: `${displayPath(dir)} has no recommendations.parquet (its pipeline has no recommend block)` };
  let t: Table;
  try {
    t = await readTable(file, { format: "parquet" });
  } catch (e) {
    return { note: `${displayPath(file)} cannot be read (${(e as Error).message.split("\n")[0]})` };
  }
  // recommendations.parquet is flat: <user or item col>, rank, <item or user col>, rating, best first per key.
  const [keyField, rankField, valueField] = t.schema.fields;
  if (!keyField || rankField?.name !== "rank" || !valueField) return { note: `${displayPath(file)} is not recpipe's flat recommendations table` };
  const keys = t.getChild(keyField.name)!,
    values = t.getChild(valueField.name)!;
  const lists = new Map<string, string[]>();
  for (let i = 0; i < t.numRows; i++) {
    const k = String(keys.get(i));
    let l = lists.get(k);
    if (!l) lists.set(k, (l = []));
    l.push(String(values.get(i)));
  }
  return { lists };
}

function overlapOf(a: Lists, b: Lists, run: string, firstRun: string): RecommendationOverlap {
  const out: RecommendationOverlap = { run, usersCompared: 0, usersOnlyInFirst: 0, usersOnlyInThis: 0 };
  if ("note" in a || "note" in b) return { ...out, note: "note" in a ? a.note : (b as { note: string }).note };
  let sum = 0;
  for (const [user, la] of a.lists) {
    const lb = b.lists.get(user);
    if (!lb) {
      out.usersOnlyInFirst++;
      continue;
    }
    const k = Math.min(la.length, lb.length);
    if (k === 0) continue;
    const inA = new Set(la.slice(0, k));
    let common = 0;
    for (const item of lb.slice(0, k)) if (inA.has(item)) common++;
    sum += common / k;
    out.usersCompared++;
  }
  for (const user of b.lists.keys()) if (!a.lists.has(user)) out.usersOnlyInThis++;
  if (out.usersCompared === 0) return { ...out, note: `no user has recommendations in both ${firstRun} and ${run}` };
  return { ...out, meanOverlap: sum / out.usersCompared };
}
