import { backoffDelayMs, DEFAULT_RETRY, isRetryableStatus, type RetryPolicy } from "./backoff.js";
import { redactSecrets, type TrackingTarget } from "./tracking-target.js";

/** The server answered, but not with success (after the retries a 429 or 5xx gets). */
export class MlflowHttpError extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    /** MLflow's `error_code` (RESOURCE_DOES_NOT_EXIST, ...), when the body had one. */
    readonly errorCode: string | undefined,
    readonly serverMessage: string,
    readonly tries: number,
  ) {
    super(
      `${endpoint} answered HTTP ${status}${errorCode ? ` ${errorCode}` : ""}${serverMessage ? `: ${serverMessage}` : ""}${tries > 1 ? ` (after ${tries} tries)` : ""}`,
    );
    this.name = "MlflowHttpError";
  }
}

/** No answer: connection refused, DNS failure, TLS failure, or no response within the timeout. */
export class MlflowUnreachableError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
    readonly tries: number,
  ) {
    super(`${endpoint}: no answer (${reason})${tries > 1 ? ` after ${tries} tries` : ""}`);
    this.name = "MlflowUnreachableError";
  }
}

export interface MlflowClientOptions {
  retry?: RetryPolicy;
  /** Per request, for JSON calls. */
  timeoutMs?: number;
  /** Retry requests that got no answer at all (a dropped connection mid-run); off for the first contact, which must fail fast. */
  retryUnanswered?: boolean;
}

/**
 * MLflow's REST API over fetch: JSON calls under /api/2.0/mlflow/ and artifact uploads to the server's artifact proxy
 * (/api/2.0/mlflow-artifacts/). No npm client is maintained, and the calls recpipe needs are few
 * (../shared/reference/mlflow.md). Every message is scrubbed of the token or password.
 */
export class MlflowClient {
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly retryUnanswered: boolean;

  constructor(
    readonly target: TrackingTarget,
    opts: MlflowClientOptions = {},
  ) {
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.retryUnanswered = opts.retryUnanswered ?? true;
  }

  /** A client for the same server with other options (the first contact: short timeout, no retry of silence). */
  with(opts: MlflowClientOptions): MlflowClient {
    return new MlflowClient(this.target, { retry: this.retry, timeoutMs: this.timeoutMs, retryUnanswered: this.retryUnanswered, ...opts });
  }

  get<T>(endpoint: string, query: Record<string, string>): Promise<T> {
    return this.json<T>("GET", `${endpoint}?${new URLSearchParams(query)}`, undefined);
  }

  post<T>(endpoint: string, body: unknown): Promise<T> {
    return this.json<T>("POST", endpoint, JSON.stringify(body));
  }

  /** Uploads one file's bytes to `<artifact root>/<path>`, where the root is the run's `mlflow-artifacts:/...` URI. */
  async putArtifact(root: string, path: string, bytes: Uint8Array): Promise<void> {
    const base = root.replace(/^mlflow-artifacts:\/*/, "");
    const segments = [...base.split("/"), ...path.split("/")].filter((s) => s.length > 0).map(encodeURIComponent);
    const url = `${this.target.uri}/api/2.0/mlflow-artifacts/artifacts/${segments.join("/")}`;
    // Large model files get time in proportion to their size: about 1 MB/s at worst.
    const timeoutMs = this.timeoutMs + Math.ceil(bytes.byteLength / 1_000);
    await this.send("PUT", url, `PUT artifacts/${path}`, bytes, { "Content-Type": "application/octet-stream" }, timeoutMs);
  }

  private async json<T>(method: string, endpoint: string, body: string | undefined): Promise<T> {
    const url = `${this.target.uri}/api/2.0/mlflow/${endpoint}`;
    const name = `${method} ${endpoint.split("?")[0]}`;
    const text = await this.send(method, url, name, body, body === undefined ? {} : { "Content-Type": "application/json" }, this.timeoutMs);
    try {
      return (text ? JSON.parse(text) : {}) as T;
    } catch {
      throw new MlflowHttpError(
        name,
        200,
        undefined,
        `the answer is not JSON (${JSON.stringify(text.slice(0, 80))}...); is this an MLflow tracking server?`,
        1,
      );
    }
  }

  private async send(
    method: string,
    url: string,
    name: string,
    body: string | Uint8Array | undefined,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, { method, body, headers: { ...headers, ...this.authHeader() }, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
      } catch (e) {
        const reason = this.redact(unansweredReason(e, timeoutMs));
        if (this.retryUnanswered && attempt < this.retry.tries) {
          await sleep(backoffDelayMs(attempt, this.retry));
          continue;
        }
        throw new MlflowUnreachableError(name, reason, attempt);
      }
      const text = await response.text().catch(() => "");
      if (response.ok) return text;
      if (isRetryableStatus(response.status) && attempt < this.retry.tries) {
        await sleep(backoffDelayMs(attempt, this.retry, response.headers.get("retry-after")));
        continue;
      }
      const { errorCode, message } = errorBody(text);
      throw new MlflowHttpError(name, response.status, errorCode, this.redact(message), attempt);
    }
  }

  private authHeader(): Record<string, string> {
    const a = this.target.auth;
    if (!a) return {};
    if (a.kind === "bearer") return { Authorization: `Bearer ${a.token}` };
    return { Authorization: `Basic ${Buffer.from(`${a.username}:${a.password}`).toString("base64")}` };
  }

  private redact(text: string): string {
    return redactSecrets(text, this.target.auth);
  }
}

function errorBody(text: string): { errorCode?: string; message: string } {
  try {
    const j = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    return { errorCode: typeof j.error_code === "string" ? j.error_code : undefined, message: typeof j.message === "string" ? j.message : text.slice(0, 300) };
  } catch {
    return { message: text.replace(/\s+/g, " ").trim().slice(0, 300) };
  }
}

function unansweredReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return `no response within ${(timeoutMs / 1000).toFixed(0)} s`;
  const cause = err.cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? `: ${cause.message}` : ""}`;
  return cause?.message ?? err.message ?? String(e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
