import { userInfo } from "node:os";
import { flattenPipeline } from "../runs/run-summary.js";
import type { FinishedRun } from "./finished-run.js";
import { MAX_TAG_VALUE_LENGTH, mlflowKey, paramValue, truncate } from "./mlflow-keys.js";

export interface Param {
  key: string;
  value: string;
}
export interface Tag {
  key: string;
  value: string;
}
/** A metric as log-batch takes it; a non-finite value goes as the string MLflow's JSON parser reads ("NaN"). */
export interface Metric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

/** Keys of the resolved pipeline that are not params of the experiment: the run's name, paths of where it went. */
const NOT_PARAMS = [/^name$/, /^output\./, /^tracking\./];

/** The resolved pipeline as flat params addressed as `--set` addresses them (`pipeline.als.rank`, `split.weights`). */
export function runParams(run: FinishedRun): Param[] {
  const flat = flattenPipeline(run.pipeline);
  const out: Param[] = [];
  for (const [k, v] of Object.entries(flat)) {
    if (NOT_PARAMS.some((re) => re.test(k))) continue;
    out.push({ key: mlflowKey(k), value: paramValue(v) });
  }
  // The params the search chose, as MLflow's CrossValidator autologging logs best_<param>.
  const best = (run.metricsFile.tune as { best?: Record<string, unknown> } | undefined)?.best ?? {};
  for (const [k, v] of Object.entries(best)) out.push({ key: mlflowKey(`best.pipeline.${k}`), value: paramValue(v) });
  return out;
}

/** metrics.json's sections under the names they are logged with. */
const SECTION_PREFIX: Record<string, string> = { metrics: "test", trainMetrics: "train", baselines: "baseline", tune: "tune" };

/**
 * Every number of metrics.json: `test.rmse`, `train.rmse`, `baseline.global-mean.rmse`, `tune.bestMetric`, ...; the
 * training loss (`trainingLoss: {als: [...]}`) as `als.training_loss` with one step per sweep (1 = after the first).
 * Lists other than the loss (a tuning's avgMetrics) go to the child runs, one value each.
 */
export function runMetrics(run: FinishedRun, timestamp: number): Metric[] {
  const out: Metric[] = [];
  const push = (key: string, value: unknown, step = 0) => {
    // JSON has no NaN: metrics.json holds null where a metric was NaN.
    const v = value === null ? "NaN" : typeof value === "number" ? (Number.isFinite(value) ? value : String(value)) : undefined;
    if (v !== undefined) out.push({ key: mlflowKey(key), value: v, timestamp, step });
  };
  const walk = (v: unknown, key: string) => {
    if (v && typeof v === "object" && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, `${key}.${k}`);
    else if (typeof v === "number" || v === null) push(key, v);
  };
  for (const [section, value] of Object.entries(run.metricsFile)) {
    if (section === "trainingLoss" && value && typeof value === "object") {
      for (const [stage, losses] of Object.entries(value as Record<string, unknown>)) {
        if (Array.isArray(losses)) losses.forEach((l, i) => push(`${stage}.training_loss`, l, i + 1));
      }
      continue;
    }
    if (section === "notes") continue;
    walk(value, SECTION_PREFIX[section] ?? section);
  }
  return out;
}

export interface TagContext {
  recpipeVersion: string;
}

/** Tags a Spark user filters runs by: where the data came from, the seed, the engine, and MLflow's own run tags. */
export function runTags(run: FinishedRun, ctx: TagContext): Tag[] {
  const m = run.manifest;
  const tags: Record<string, string | number | undefined> = {
    "mlflow.runName": run.name,
    "mlflow.source.name": m.pipelineFile,
    "mlflow.source.type": "LOCAL",
    "mlflow.user": safeUser(),
    "recpipe.version": m.recpipeVersion,
    "recpipe.loggedBy": ctx.recpipeVersion,
    "recpipe.runDirectory": run.dir,
    "recpipe.seed": m.seed,
    "recpipe.engine": m.engine,
    "recpipe.sparkVersion": m.sparkVersion,
    "recpipe.remote": m.remote,
    "recpipe.pipelineSha256": m.pipelineSha256,
    "recpipe.overrides": m.overrides?.length ? JSON.stringify(m.overrides) : undefined,
    "recpipe.modelClass": run.modelClass,
  };
  m.inputs?.forEach((input, i) => {
    const key = m.inputs.length > 1 ? `recpipe.input.${i}` : "recpipe.input";
    tags[`${key}.sha256`] = input.sha256;
    tags[`${key}.rows`] = input.rows;
    tags[`${key}.path`] = input.path;
    tags[`${key}.kind`] = input.kind;
  });
  const notes = run.metricsFile.notes;
  // The notes ("worse than a baseline", ...) become the run's description in the MLflow UI.
  if (Array.isArray(notes) && notes.length) tags["mlflow.note.content"] = notes.join("\n\n");
  return Object.entries(tags)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== "")
    .map(([key, value]) => ({ key, value: truncate(String(value), MAX_TAG_VALUE_LENGTH) }));
}

function safeUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
