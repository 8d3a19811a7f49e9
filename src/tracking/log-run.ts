import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { recpipeVersion } from "../run/manifest.js";
import { displayPath } from "../io/display-path.js";
import { childRuns } from "./child-runs.js";
import type { TrackingSession } from "./connect.js";
import type { FinishedRun } from "./finished-run.js";
import { chunks, MAX_METRICS_PER_BATCH, MAX_PARAMS_PER_BATCH, MAX_TAGS_PER_BATCH } from "./mlflow-keys.js";
import { mlmodelYaml } from "./mlmodel.js";
import { runMetrics, runParams, runTags, type Metric, type Param, type Tag } from "./run-record.js";

export interface LoggedRun {
  runId: string;
  experimentId: string;
  /** The run's page in the MLflow UI. */
  url: string;
  artifacts: number;
  childRuns: number;
  /** Whether an MLflow model was logged under model/ (a run whose model is not a Spark PipelineModel has none). */
  model: boolean;
}

/** Logging stopped part-way: the local run directory is complete; this says what MLflow lacks. */
export class TrackingIncompleteError extends Error {
  constructor(
    message: string,
    readonly runId: string | undefined,
    readonly notLogged: string[],
    readonly markedFailed: boolean,
  ) {
    super(message);
    this.name = "TrackingIncompleteError";
  }
}

/** The MLflow model of the run: the MLflow convention (and mlflow.spark's autologging) is the artifact path model/. */
export const MODEL_ARTIFACT_PATH = "model";
/** Where a tuned run's whole CrossValidatorModel goes; its bestModel/ PipelineModel is also the MLflow model. */
export const TUNED_MODEL_ARTIFACT_PATH = "tuned-model";

/**
 * Logs one finished run directory as an MLflow run: tags at creation, params and metrics in batches within MLflow's
 * limits, every file as an artifact (one PUT each), the model as an MLflow `spark` model under model/, one child run
 * per param map of a search, then FINISHED. On a failure it marks the run FAILED where it can and throws
 * TrackingIncompleteError listing what was not logged.
 */
export async function logFinishedRun(
  session: TrackingSession,
  run: FinishedRun,
  log: (m: string) => void = () => undefined,
  now: () => Date = () => new Date(),
): Promise<LoggedRun> {
  const { client, experimentId } = session;
  const createdMs = Date.parse(run.manifest.createdAt) || now().getTime();
  const durationMs = Math.round(Object.values(run.manifest.timingsSeconds ?? {}).reduce((s, x) => s + (Number.isFinite(x) ? x : 0), 0) * 1000);
  const startMs = createdMs - durationMs;
  const params = runParams(run);
  const metrics = runMetrics(run, createdMs);
  const tags = runTags(run, { recpipeVersion: recpipeVersion() });
  const uploads = artifactPlan(run);
  const children = run.tuning
    ? childRuns(run.tuning, run.name, params, String((run.metricsFile.tune as { type?: string } | undefined)?.type ?? ""), createdMs)
    : [];

  const pending = new Map<string, string>([
    ["run", "the MLflow run itself"],
    ["params", `${params.length} params`],
    ["metrics", `${metrics.length} metric values`],
    ["artifacts", `${uploads.length} artifact files`],
    ...(run.pipelineModelDir ? ([["model", `the MLflow model (${MODEL_ARTIFACT_PATH}/MLmodel)`]] as [string, string][]) : []),
    ...(children.length ? ([["children", `${children.length} child runs (one per param map)`]] as [string, string][]) : []),
    ["status", "the FINISHED status"],
  ]);
  let runId: string | undefined;
  let uploaded = 0;
  let childrenLogged = 0;
  try {
    const created = await createRun(session, run.name, startMs, tags);
    runId = created.runId;
    pending.delete("run");
    log(`mlflow: run ${runId} in experiment ${session.target.experiment} (id ${experimentId}) at ${session.target.uri}`);
    await logBatches(session, runId, params, []);
    pending.delete("params");
    await logBatches(session, runId, [], metrics);
    pending.delete("metrics");
    for (const u of uploads) {
      await client.putArtifact(created.artifactUri, u.to, await readFile(join(run.dir, u.from)));
      uploaded++;
      pending.set("artifacts", `${uploads.length - uploaded} of ${uploads.length} artifact files (from ${uploads[uploaded]?.to ?? "-"})`);
    }
    pending.delete("artifacts");
    if (run.pipelineModelDir) {
      const text = mlmodelYaml({ runId, artifactPath: MODEL_ARTIFACT_PATH, sparkVersion: run.modelSparkVersion, now: now() });
      await client.putArtifact(created.artifactUri, `${MODEL_ARTIFACT_PATH}/MLmodel`, new TextEncoder().encode(text));
      pending.delete("model");
    }
    for (const c of children) {
      const child = await createRun(session, c.name, startMs, [
        { key: "mlflow.parentRunId", value: runId },
        { key: "mlflow.runName", value: c.name },
        { key: "mlflow.source.name", value: run.manifest.pipelineFile },
        { key: "mlflow.source.type", value: "LOCAL" },
        ...c.tags,
      ]);
      await logBatches(session, child.runId, c.params, c.metrics);
      await setStatus(session, child.runId, c.failed ? "FAILED" : "FINISHED", createdMs);
      childrenLogged++;
      pending.set("children", `${children.length - childrenLogged} of ${children.length} child runs`);
    }
    pending.delete("children");
    await setStatus(session, runId, "FINISHED", createdMs);
    pending.delete("status");
    return {
      runId,
      experimentId,
      url: `${session.target.uri}/#/experiments/${experimentId}/runs/${runId}`,
      artifacts: uploads.length + (run.pipelineModelDir ? 1 : 0),
      childRuns: children.length,
      model: !!run.pipelineModelDir,
    };
  } catch (e) {
    let marked = false;
    if (runId)
      marked = await setStatus(session, runId, "FAILED", now().getTime()).then(
        () => true,
        () => false,
      );
    pending.delete("status");
    const notLogged = [...pending.values()];
    const shown = displayPath(run.dir);
    const message =
      `logging to the MLflow tracking server at ${session.target.uri} failed: ${(e as Error).message}. ` +
      `The run directory ${shown} is complete. ` +
      (runId
        ? `MLflow run ${runId} ${marked ? "is marked FAILED" : "could not be marked FAILED either"}; not logged: ${notLogged.join(", ")}. `
        : "No MLflow run was created. ") +
      `Log it again when the server is back: recpipe log ${shown} --track ${session.target.uri} --experiment ${shellWord(session.target.experiment)}`;
    throw new TrackingIncompleteError(message, runId, notLogged, marked);
  }
}

/** A name as one shell word, for a command the user can paste. */
function shellWord(s: string): string {
  return /^[\w.\-/:@]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

interface Upload {
  from: string;
  to: string;
}

/**
 * Run directory files -> artifact paths. The run's files keep their paths, except model/: an untuned run's
 * PipelineModel is the MLflow model's sparkml/ (uploaded once); a tuned run's CrossValidatorModel goes to
 * tuned-model/ whole, and its bestModel/ is also uploaded as the MLflow model's sparkml/.
 */
export function artifactPlan(run: FinishedRun): Upload[] {
  const out: Upload[] = [];
  const models: Upload[] = [];
  const pm = run.pipelineModelDir;
  for (const f of run.files) {
    if (!f.startsWith("model/")) out.push({ from: f, to: f });
    else if (pm === "model") models.push({ from: f, to: `${MODEL_ARTIFACT_PATH}/sparkml/${f.slice("model/".length)}` });
    else {
      models.push({ from: f, to: `${TUNED_MODEL_ARTIFACT_PATH}/${f.slice("model/".length)}` });
      if (pm && f.startsWith(`${pm}/`)) models.push({ from: f, to: `${MODEL_ARTIFACT_PATH}/sparkml/${f.slice(pm.length + 1)}` });
    }
  }
  return [...out, ...models];
}

async function createRun(session: TrackingSession, name: string, startMs: number, tags: Tag[]): Promise<{ runId: string; artifactUri: string }> {
  const first = tags.slice(0, MAX_TAGS_PER_BATCH);
  const r = await session.client.post<{ run?: { info?: { run_id?: string; artifact_uri?: string } } }>("runs/create", {
    experiment_id: session.experimentId,
    run_name: name,
    start_time: startMs,
    tags: first,
  });
  const runId = r.run?.info?.run_id;
  if (!runId) throw new Error(`runs/create answered without a run_id`);
  for (const batch of chunks(tags.slice(MAX_TAGS_PER_BATCH), MAX_TAGS_PER_BATCH)) await session.client.post("runs/log-batch", { run_id: runId, tags: batch });
  return { runId, artifactUri: r.run?.info?.artifact_uri ?? `mlflow-artifacts:/${session.experimentId}/${runId}/artifacts` };
}

/** log-batch within MLflow's limits: 100 params (with at most 1000 entities) or 1000 metrics per call. */
async function logBatches(session: TrackingSession, runId: string, params: Param[], metrics: Metric[]): Promise<void> {
  for (const batch of chunks(params, MAX_PARAMS_PER_BATCH)) await session.client.post("runs/log-batch", { run_id: runId, params: batch });
  for (const batch of chunks(metrics, MAX_METRICS_PER_BATCH)) await session.client.post("runs/log-batch", { run_id: runId, metrics: batch });
}

async function setStatus(session: TrackingSession, runId: string, status: "FINISHED" | "FAILED", endMs: number): Promise<void> {
  await session.client.post("runs/update", { run_id: runId, status, end_time: endMs });
}
