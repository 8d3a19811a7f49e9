import { connectToMlflow, type TrackingSession } from "../tracking/connect.js";
import type { FinishedRun } from "../tracking/finished-run.js";
import { logFinishedRun, TrackingIncompleteError, type LoggedRun } from "../tracking/log-run.js";
import { resolveTrackingTarget, type TrackingTarget } from "../tracking/tracking-target.js";

export const TRACK_HELP =
  "log the finished run to this MLflow tracking server, http(s)://HOST:PORT (default: $MLFLOW_TRACKING_URI, then the file's tracking.mlflow)";
export const EXPERIMENT_HELP =
  "MLflow experiment, created when missing (default: $MLFLOW_EXPERIMENT_NAME, then the file's tracking.experiment, then the pipeline's name)";

/** `--track URI` / `--no-track` / `--experiment NAME` over the environment and a `tracking:` block. */
export function trackingTarget(
  o: { track?: string | boolean; experiment?: string },
  file: { mlflow?: string; experiment?: string } | undefined,
  fileLabel: string,
  defaultExperiment: string,
): TrackingTarget | undefined {
  return resolveTrackingTarget({
    flag: o.track === false ? false : typeof o.track === "string" ? o.track : undefined,
    experimentFlag: o.experiment,
    env: process.env,
    file,
    fileLabel,
    defaultExperiment,
  });
}

export function connect(target: TrackingTarget, log: (m: string) => void): Promise<TrackingSession> {
  return connectToMlflow(target).then((s) => {
    log(`mlflow: ${s.created ? "created" : "using"} experiment "${target.experiment}" (id ${s.experimentId}) at ${target.uri}`);
    return s;
  });
}

export type TrackingOutcome = { logged: LoggedRun } | { failed: TrackingIncompleteError };

/** Logs a finished run; a failure part-way is reported (the caller exits 1), anything else is a bug and thrown. */
export async function logRun(session: TrackingSession, run: FinishedRun, log: (m: string) => void): Promise<TrackingOutcome> {
  try {
    const logged = await logFinishedRun(session, run, log);
    log(
      `mlflow: logged ${logged.artifacts} artifacts${logged.model ? " and the model (model/)" : ""}${logged.childRuns ? `, ${logged.childRuns} child runs` : ""}: ${logged.url}`,
    );
    return { logged };
  } catch (e) {
    if (e instanceof TrackingIncompleteError) return { failed: e };
    throw e;
  }
}

/** The `mlflow` member of a command's --json object. */
export function trackingJson(o: TrackingOutcome): Record<string, unknown> {
  if ("logged" in o) return { runId: o.logged.runId, experimentId: o.logged.experimentId, url: o.logged.url, status: "FINISHED" };
  return { runId: o.failed.runId ?? null, status: o.failed.markedFailed ? "FAILED" : "RUNNING", notLogged: o.failed.notLogged, error: o.failed.message };
}

/** Prints a part-way failure and sets exit 1: the local run is complete, MLflow is not. */
export function reportTrackingFailure(o: TrackingOutcome): void {
  if ("failed" in o) {
    process.stderr.write(`recpipe: ${o.failed.message}\n`);
    process.exitCode = 1;
  }
}
