import { InputError } from "../core/errors.js";

/** How recpipe authenticates to the tracking server, as MLflow's own clients read it from the environment. */
export type TrackingAuth = { kind: "bearer"; token: string; from: string } | { kind: "basic"; username: string; password: string; from: string };

/** A tracking server and experiment, resolved from the command line, the environment and the pipeline file. */
export interface TrackingTarget {
  /** http(s)://HOST:PORT[/PATH], without a trailing slash and never with credentials. */
  uri: string;
  experiment: string;
  auth?: TrackingAuth;
  /** Where the URI came from, for messages: "--track", "MLFLOW_TRACKING_URI" or "tracking.mlflow in FILE". */
  uriFrom: string;
}

export interface TrackingSources {
  /** `--track URI`; false for `--no-track`. */
  flag?: string | false;
  /** `--experiment NAME`. */
  experimentFlag?: string;
  env: NodeJS.ProcessEnv;
  /** The pipeline file's `tracking:` block (or the run directory's pipeline.yaml). */
  file?: { mlflow?: string; experiment?: string };
  /** Named in messages about the file's block. */
  fileLabel: string;
  /** Used when nothing names an experiment: the pipeline's name. */
  defaultExperiment: string;
}

/**
 * Precedence as for every other setting of recpipe's: the command line, then the environment (MLFLOW_TRACKING_URI,
 * MLFLOW_EXPERIMENT_NAME, as MLflow's clients read them), then the file. Undefined when nothing names a server.
 */
export function resolveTrackingTarget(s: TrackingSources): TrackingTarget | undefined {
  if (s.flag === false) return undefined;
  const envUri = s.env.MLFLOW_TRACKING_URI?.trim();
  const [raw, uriFrom] = s.flag
    ? [s.flag, "--track"]
    : envUri
      ? [envUri, "MLFLOW_TRACKING_URI"]
      : s.file?.mlflow
        ? [s.file.mlflow, `tracking.mlflow in ${s.fileLabel}`]
        : [undefined, ""];
  if (raw === undefined) return undefined;
  const uri = checkTrackingUri(raw, uriFrom);
  const envExperiment = s.env.MLFLOW_EXPERIMENT_NAME?.trim();
  const experiment = s.experimentFlag?.trim() || envExperiment || s.file?.experiment || s.defaultExperiment;
  return { uri, experiment, uriFrom, ...authFromEnv(s.env) };
}

/** Only an HTTP tracking server can be spoken to with fetch; credentials in the URI would end up in logs. */
export function checkTrackingUri(raw: string, from: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError("E_TRACKING", `${from}: expected an MLflow tracking server URL, http(s)://HOST:PORT; got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(
      "E_TRACKING",
      `${from}: recpipe logs to an MLflow tracking server over HTTP (http:// or https://); got a ${url.protocol.replace(/:$/, "")} URI ("${url.protocol}..."); start one with \`mlflow server\` and give its URL, or run without tracking (--no-track)`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      "E_TRACKING",
      `${from}: the URL must not hold credentials (user:password@); set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, instead`,
    );
  }
  if (url.search || url.hash)
    throw new InputError(
      "E_TRACKING",
      `${from}: expected http(s)://HOST:PORT[/PATH] without a query or fragment; got "${url.origin}${url.pathname}${url.search ? "?..." : "#..."}"`,
    );
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function authFromEnv(env: NodeJS.ProcessEnv): { auth?: TrackingAuth } {
  const token = env.MLFLOW_TRACKING_TOKEN;
  if (token) return { auth: { kind: "bearer", token, from: "MLFLOW_TRACKING_TOKEN" } };
  const username = env.MLFLOW_TRACKING_USERNAME,
    password = env.MLFLOW_TRACKING_PASSWORD;
  if (username && password) return { auth: { kind: "basic", username, password, from: "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD" } };
  if (username || password) {
    const [set, unset] = username ? ["MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"] : ["MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_USERNAME"];
    throw new InputError("E_TRACKING", `${set} is set but ${unset} is not; basic authentication needs both (or set MLFLOW_TRACKING_TOKEN for a bearer token)`);
  }
  return {};
}

/** The secrets a message must never show: the token or password, whatever a server echoed back. */
export function redactSecrets(text: string, auth: TrackingAuth | undefined): string {
  if (!auth) return text;
  const secrets = auth.kind === "bearer" ? [auth.token] : [auth.password, Buffer.from(`${auth.username}:${auth.password}`).toString("base64")];
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join("***");
  return out;
}
