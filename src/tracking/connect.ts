import { InputError } from "../core/errors.js";
import { MlflowClient, MlflowHttpError, MlflowUnreachableError, type MlflowClientOptions } from "./mlflow-client.js";
import type { TrackingTarget } from "./tracking-target.js";

/** A tracking server that answered, and the experiment runs are logged into. */
export interface TrackingSession {
  client: MlflowClient;
  target: TrackingTarget;
  experimentId: string;
  /** True when this contact created the experiment. */
  created: boolean;
}

interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
}

/** The first contact waits this long for an answer: a run must not start, nor hang, against a server that is not there. */
export const FIRST_CONTACT_TIMEOUT_MS = 5_000;

/**
 * Reaches the server and gets (or creates) the experiment, before any work: every way this can fail (unreachable,
 * 401/403, a deleted experiment, a server that does not proxy artifacts) is exit 2 naming the URI and what was found.
 */
export async function connectToMlflow(target: TrackingTarget, opts: MlflowClientOptions = {}): Promise<TrackingSession> {
  const client = new MlflowClient(target, opts);
  const first = client.with({ timeoutMs: opts.timeoutMs ?? FIRST_CONTACT_TIMEOUT_MS, retryUnanswered: false });
  const where = `the MLflow tracking server at ${target.uri} (${target.uriFrom})`;
  try {
    let created = false;
    let exp = await experimentByName(first, target.experiment);
    if (!exp) {
      const made = await first.post<{ experiment_id?: string }>("experiments/create", { name: target.experiment });
      if (!made.experiment_id)
        throw new InputError("E_TRACKING", `${where}: experiments/create answered without an experiment_id; is this an MLflow tracking server?`);
      exp = await experimentByName(first, target.experiment);
      created = true;
    }
    if (!exp) throw new InputError("E_TRACKING", `${where}: experiment "${target.experiment}" was created but cannot be read back`);
    if (exp.lifecycle_stage && exp.lifecycle_stage !== "active") {
      throw new InputError(
        "E_TRACKING",
        `${where}: experiment "${target.experiment}" (id ${exp.experiment_id}) is ${exp.lifecycle_stage}; restore it in MLflow (or \`mlflow experiments restore --experiment-id ${exp.experiment_id}\`) or name another experiment with MLFLOW_EXPERIMENT_NAME / --experiment`,
      );
    }
    if (exp.artifact_location && !exp.artifact_location.startsWith("mlflow-artifacts:")) {
      throw new InputError(
        "E_TRACKING",
        `${where}: experiment "${target.experiment}" stores artifacts at ${exp.artifact_location}, which recpipe cannot write to; recpipe uploads through the server's artifact proxy: use an experiment whose artifact location is mlflow-artifacts:/... (the default of \`mlflow server\`, which serves artifacts unless --no-serve-artifacts)`,
      );
    }
    return { client, target, experimentId: exp.experiment_id, created };
  } catch (e) {
    throw asConnectError(e, where, target);
  }
}

async function experimentByName(client: MlflowClient, name: string): Promise<Experiment | undefined> {
  try {
    const r = await client.get<{ experiment?: Experiment }>("experiments/get-by-name", { experiment_name: name });
    if (!r.experiment?.experiment_id)
      throw new MlflowHttpError("GET experiments/get-by-name", 200, undefined, "the answer has no experiment; is this an MLflow tracking server?", 1);
    return r.experiment;
  } catch (e) {
    if (e instanceof MlflowHttpError && e.status === 404 && e.errorCode === "RESOURCE_DOES_NOT_EXIST") return undefined;
    throw e;
  }
}

function asConnectError(e: unknown, where: string, target: TrackingTarget): unknown {
  if (e instanceof InputError) return e;
  if (e instanceof MlflowUnreachableError) {
    return new InputError(
      "E_TRACKING",
      `cannot reach ${where}: ${e.reason}; start the server (\`mlflow server --host 127.0.0.1 --port PORT\`), check the URL, or run without tracking (--no-track)`,
    );
  }
  if (e instanceof MlflowHttpError) {
    if (e.status === 401 || e.status === 403) {
      const sent = target.auth
        ? `credentials from ${target.auth.from} (${target.auth.kind})`
        : "no credentials (set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)";
      return new InputError(
        "E_TRACKING",
        `${where} refused recpipe: ${e.endpoint} answered HTTP ${e.status}${e.serverMessage ? ` (${e.serverMessage})` : ""}; recpipe sent ${sent}`,
      );
    }
    if (e.status === 404)
      return new InputError("E_TRACKING", `${where}: ${e.endpoint} answered HTTP 404; this is not an MLflow tracking server's REST API (check the URL's path)`);
    return new InputError("E_TRACKING", `${where}: ${e.message}; no run was started`);
  }
  return e;
}
