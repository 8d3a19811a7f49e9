import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { InputError } from "../../../core/errors.js";
import {
  AddArtifactsRequestSchema,
  AddArtifactsResponseSchema,
  AnalyzePlanRequestSchema,
  AnalyzePlanResponseSchema,
  ConfigRequestSchema,
  ConfigResponseSchema,
  ExecutePlanRequestSchema,
  ExecutePlanResponseSchema,
  InterruptRequest_InterruptType,
  InterruptRequestSchema,
  InterruptResponseSchema,
  ReleaseSessionRequestSchema,
  ReleaseSessionResponseSchema,
  type ExecutePlanResponse,
  type ExecutePlanResponse_ExecutionProgress,
  type Plan,
} from "../gen/spark/connect/base_pb.js";
import type { Relation } from "../gen/spark/connect/relations_pb.js";
import type { RemoteUrl } from "./remote-url.js";
import { sparkRequestError } from "./spark-error.js";
import { ServerLostError } from "./server-lost.js";
import { DEFAULT_REMOTE_TIMEOUT_S } from "./remote-timeout.js";
import { isolateAliases } from "./request-aliases.js";
import { certificateProblem, trustedRoots, ROOTS_ENV } from "./tls-trust.js";
import { compareVersions } from "./spark-version.js";
import { analyzeKind, planKind, rpcProfile, type RpcMeter } from "./rpc-profile.js";

const SERVICE = "/spark.connect.SparkConnectService";
/** Spark Connect's gRPC message limit (Spark's spark.connect.grpc.maxInboundMessageSize default, 128 MiB). */
export const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
/** How long connecting (TCP + HTTP/2) may take before the server counts as unreachable (the CLI promises 10 s). */
const CONNECT_DEADLINE_MS = 6_000;

export interface ConnectOptions {
  /** The idle limit in milliseconds (0: wait forever); DEFAULT_REMOTE_TIMEOUT_S when not given. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Told of each ExecutionProgress message of a request, then "end" when it finishes or "failed" when it fails. */
export type ProgressListener = (p: ExecutePlanResponse_ExecutionProgress | "end" | "failed") => void;

function codec<D extends DescMessage>(schema: D) {
  return {
    ser: (m: MessageShape<D>) => Buffer.from(toBinary(schema, m)),
    de: (b: Buffer) => fromBinary(schema, new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
  };
}
const exec = { req: codec(ExecutePlanRequestSchema), res: codec(ExecutePlanResponseSchema) };
const analyze = { req: codec(AnalyzePlanRequestSchema), res: codec(AnalyzePlanResponseSchema) };
const artifacts = { req: codec(AddArtifactsRequestSchema), res: codec(AddArtifactsResponseSchema) };
const release = { req: codec(ReleaseSessionRequestSchema), res: codec(ReleaseSessionResponseSchema) };
const interrupt = { req: codec(InterruptRequestSchema), res: codec(InterruptResponseSchema) };
const config = { req: codec(ConfigRequestSchema), res: codec(ConfigResponseSchema) };
type Codecs<Q, R> = { req: { ser: (m: Q) => Buffer }; res: { de: (b: Buffer) => R } };

/**
 * One Spark Connect session over @grpc/grpc-js: ExecutePlan (streamed), AnalyzePlan, AddArtifacts, Interrupt and
 * ReleaseSession, with the bearer token in the metadata and Spark's errors turned into one readable line.
 */
export class SparkConnectClient {
  readonly sessionId: string;
  private readonly grpc: grpc.Client;
  private readonly userId: string;
  private readonly clientType: string;
  /** The server's Spark version (AnalyzePlan spark_version), known after connect(). */
  sparkVersion = "";
  private closed = false;
  /** ExecutePlan calls still streaming: an interrupt waits for them to end before the session is released. */
  private readonly running = new Set<Promise<unknown>>();
  /** Every call in flight, so that a lost server fails them all at once (parallel trials stop with the first). */
  private readonly calls = new Set<grpc.Call>();
  /** Set once the server is lost: every later request fails with it at once, and the cleanup skips the server. */
  private lost: ServerLostError | undefined;
  private readonly timeoutMs: number;
  private requestCount = 0;
  private readonly roots: Buffer | undefined;
  /** RECPIPE_CONNECT_PROFILE (rpc-profile.ts): undefined unless asked for, and then every request is counted. */
  private readonly profile = rpcProfile();

  private constructor(
    readonly url: RemoteUrl,
    clientType: string,
    opts: ConnectOptions,
  ) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_S * 1000;
    this.roots = url.useSsl ? trustedRoots(opts.env).pem : undefined;
    const creds = url.useSsl ? grpc.credentials.createSsl(this.roots) : grpc.credentials.createInsecure();
    const target = url.host.includes(":") ? `[${url.host}]:${url.port}` : `${url.host}:${url.port}`;
    this.grpc = new grpc.Client(target, creds, {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
      "grpc.primary_user_agent": clientType,
      // Fail fast on a refused connection instead of retrying until the deadline.
      "grpc.initial_reconnect_backoff_ms": 200,
    });
    this.userId = url.userId ?? safeUserName();
    this.sessionId = url.sessionId ?? randomUUID();
    this.clientType = clientType;
  }

  /**
   * Opens a session and asks the server's version. Refuses servers below 4.0 (no ML over Connect) with exit 2 naming
   * the version found; an unreachable server fails within CONNECT_DEADLINE_MS.
   */
  static async connect(url: RemoteUrl, clientType: string, opts: ConnectOptions = {}): Promise<SparkConnectClient> {
    const c = new SparkConnectClient(url, clientType, opts);
    try {
      await c.waitConnected().catch(async (e: unknown) => {
        // grpc-js says only that the channel failed; a certificate we do not trust is worth naming.
        const cert = url.useSsl ? await certificateProblem(url.host, url.port, c.roots) : undefined;
        if (!cert) throw e;
        const roots = trustedRoots(opts.env);
        throw new InputError(
          "E_ARGS",
          `Spark Connect server ${url.display}: the TLS certificate is not trusted (${cert}); recpipe trusted ${roots.from}; give the PEM file of the CA that signed it in ${ROOTS_ENV}`,
        );
      });
      c.sparkVersion = await c.analyzeSparkVersion();
    } catch (e) {
      c.close();
      throw e;
    }
    if (compareVersions(c.sparkVersion, "4.0.0") < 0) {
      c.close();
      throw new InputError(
        "E_UNSUPPORTED",
        `Spark Connect server ${url.display} runs Spark ${c.sparkVersion}; recpipe needs Spark 4.0 or later (ML over Spark Connect arrived in 4.0)`,
      );
    }
    return c;
  }

  /**
   * Connects (TCP + HTTP/2) or fails: at once when the connection is refused or the other side does not speak
   * HTTP/2 (the channel reports a transient failure), after CONNECT_DEADLINE_MS when nothing answers at all.
   */
  private async waitConnected(): Promise<void> {
    const channel = this.grpc.getChannel();
    const deadline = Date.now() + CONNECT_DEADLINE_MS;
    const unreachable = (why: string) =>
      new InputError("E_ARGS", `Spark Connect server ${this.url.display} is unreachable (${why}); check the host and port, and that the server is running`);
    let state = channel.getConnectivityState(true);
    while (state !== grpc.connectivityState.READY) {
      if (state === grpc.connectivityState.TRANSIENT_FAILURE || state === grpc.connectivityState.SHUTDOWN) throw unreachable("the connection failed");
      await new Promise<void>((resolve, reject) =>
        channel.watchConnectivityState(state, deadline, (err) =>
          err ? reject(unreachable(`no connection within ${CONNECT_DEADLINE_MS / 1000} s`)) : resolve(),
        ),
      );
      state = channel.getConnectivityState(false);
    }
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.url.token) md.set("authorization", `Bearer ${this.url.token}`);
    // Extra URL parameters (e.g. x-databricks-cluster-id), as PySpark sends them.
    for (const [k, v] of this.url.headers) md.set(k, v);
    return md;
  }

  /** Call options for a request answered in one message: the idle limit is its deadline. */
  private callOptions(): grpc.CallOptions {
    return this.timeoutMs > 0 ? { deadline: Date.now() + this.timeoutMs } : {};
  }

  /** The error a failed request ends with: the loss of the server once it is known, else Spark's error. */
  private failure(err: grpc.ServiceError, what: string): Error {
    if (this.lost) return this.lost;
    const e = sparkRequestError(err, what, this.url.display);
    if (e instanceof ServerLostError) this.markLost(e);
    return e;
  }

  /** The server is gone: remember it, and fail every other call in flight now rather than at its own deadline. */
  private markLost(e: ServerLostError): void {
    if (this.lost) return;
    this.lost = e;
    for (const call of this.calls) call.cancel();
  }

  private track<C extends grpc.Call>(call: C, meter?: RpcMeter): C {
    this.calls.add(call);
    const forget = () => {
      this.calls.delete(call);
      meter?.end();
    };
    // Every call ends with its status, whether it succeeded, failed or was cancelled.
    (call as grpc.ClientUnaryCall).on("status", forget);
    return call;
  }

  /**
   * The serializer and parser of one request: the plain ones, or (profiling) ones that count its bytes into `meter`,
   * whose end the call's status marks (track).
   */
  private codecs<Q, R>(c: Codecs<Q, R>, rpc: string, kind: string, step?: string): { ser: (m: Q) => Buffer; de: (b: Buffer) => R; meter?: RpcMeter } {
    const meter = this.profile?.start(rpc, kind, step);
    if (!meter) return { ser: c.req.ser, de: c.res.de };
    return {
      ser: (m) => {
        const b = c.req.ser(m);
        meter.sent(b.length);
        return b;
      },
      de: (b) => {
        meter.received(b.length);
        return c.res.de(b);
      },
      meter,
    };
  }

  /** Whether the server was lost during this session (the cleanup then leaves it alone). */
  get serverLost(): boolean {
    return this.lost !== undefined;
  }

  private base() {
    return { sessionId: this.sessionId, userContext: { userId: this.userId, userName: this.userId }, clientType: this.clientType };
  }

  async analyzeSparkVersion(): Promise<string> {
    const req = create(AnalyzePlanRequestSchema, { ...this.base(), analyze: { case: "sparkVersion", value: {} } });
    const c = this.codecs(analyze, "AnalyzePlan", analyzeKind(req), "asking its Spark version");
    const res = await new Promise<MessageShape<typeof AnalyzePlanResponseSchema>>((resolve, reject) => {
      this.track(
        this.grpc.makeUnaryRequest(`${SERVICE}/AnalyzePlan`, c.ser, c.de, req, this.metadata(), this.callOptions(), (err, value) =>
          err ? reject(this.failure(err, "asking its Spark version")) : resolve(value!),
        ),
        c.meter,
      );
    });
    if (res.result.case !== "sparkVersion")
      throw new InputError("E_ARGS", `Spark Connect server ${this.url.display} did not answer the version request with a version`);
    return res.result.value.version;
  }

  /** Reads one of the session's configuration values (Spark's RuntimeConfig.getOption); undefined when unset. */
  getConf(key: string): Promise<string | undefined> {
    if (this.lost) return Promise.reject(this.lost);
    const req = create(ConfigRequestSchema, { ...this.base(), operation: { opType: { case: "getOption", value: { keys: [key] } } } });
    const c = this.codecs(config, "Config", "getOption", `reading its setting ${key}`);
    return new Promise((resolve, reject) => {
      this.track(
        this.grpc.makeUnaryRequest(`${SERVICE}/Config`, c.ser, c.de, req, this.metadata(), this.callOptions(), (err, res) =>
          err ? reject(this.failure(err, `reading its setting ${key}`)) : resolve(res!.pairs[0]?.value),
        ),
        c.meter,
      );
    });
  }

  /**
   * Caches a relation on the cluster (DataFrame.persist, lazily filled by the first job that reads it): the split
   * sides are read by every fit, evaluation and fold, and recomputing them re-sorts the data each time.
   */
  persist(relation: Relation, unpersist = false): Promise<void> {
    const analyze_ = unpersist ? { case: "unpersist" as const, value: { relation, blocking: false } } : { case: "persist" as const, value: { relation } };
    const req = create(AnalyzePlanRequestSchema, { ...this.base(), analyze: analyze_ });
    if (this.lost) return Promise.reject(this.lost);
    const what = unpersist ? "releasing cached data" : "caching data";
    const c = this.codecs(analyze, "AnalyzePlan", analyzeKind(req), what);
    return new Promise((resolve, reject) => {
      this.track(
        this.grpc.makeUnaryRequest(`${SERVICE}/AnalyzePlan`, c.ser, c.de, req, this.metadata(), this.callOptions(), (err) =>
          err ? reject(this.failure(err, what)) : resolve(),
        ),
        c.meter,
      );
    });
  }

  /** Runs a plan and collects every response (Arrow batches, ML results); `what` names the step in errors. */
  execute(plan: Plan, what: string, onProgress?: ProgressListener): Promise<ExecutePlanResponse[]> {
    this.assertOpen();
    if (this.lost) return Promise.reject(this.lost);
    // Each request gets its own names for the SQL references Spark registers as session views (request-aliases.ts).
    const req = create(ExecutePlanRequestSchema, { ...this.base(), plan: isolateAliases(plan, ++this.requestCount), operationId: randomUUID() });
    const c = this.codecs(exec, "ExecutePlan", planKind(plan), what);
    const result = new Promise<ExecutePlanResponse[]>((resolve, reject) => {
      const out: ExecutePlanResponse[] = [];
      const call = this.track(this.grpc.makeServerStreamRequest(`${SERVICE}/ExecutePlan`, c.ser, c.de, req, this.metadata(), {}), c.meter);
      // The idle limit: restarted by every message (progress included); when it runs out the server counts as lost.
      let idle: NodeJS.Timeout | undefined;
      const rearm = () => {
        if (this.timeoutMs <= 0) return;
        clearTimeout(idle);
        idle = setTimeout(() => {
          this.markLost(new ServerLostError(this.url.display, what, `it stopped answering: nothing for ${this.timeoutMs / 1000} s, the --remote-timeout`));
        }, this.timeoutMs);
      };
      rearm();
      call.on("metadata", rearm);
      call.on("data", (r: ExecutePlanResponse) => {
        rearm();
        if (r.responseType.case === "executionProgress") onProgress?.(r.responseType.value);
        else out.push(r);
      });
      call.on("error", (err: grpc.ServiceError) => {
        clearTimeout(idle);
        onProgress?.("failed");
        reject(this.failure(err, what));
      });
      call.on("end", () => {
        clearTimeout(idle);
        onProgress?.("end");
        resolve(out);
      });
    });
    this.running.add(result);
    const forget = () => this.running.delete(result);
    result.then(forget, forget);
    return result;
  }

  /**
   * Resolves when every ExecutePlan call has ended, or after `timeoutMs`. After an interrupt the server ends each
   * operation on its own time; releasing the session while one is still running fails on the server half-way (Spark
   * 4.0: "operationId ... with status Started is not within statuses ... for event Closed").
   */
  get busy(): boolean {
    return this.running.size > 0;
  }

  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Uploads artifacts (e.g. `cache/<sha256>` blobs) in one client stream; each batch stays under the message limit. */
  addArtifacts(requests: MessageInitShape<typeof AddArtifactsRequestSchema>["payload"][], what: string): Promise<void> {
    this.assertOpen();
    if (this.lost) return Promise.reject(this.lost);
    const c = this.codecs(artifacts, "AddArtifacts", requests[0]?.case ?? "none", what);
    return new Promise((resolve, reject) => {
      const call = this.track(
        this.grpc.makeClientStreamRequest(`${SERVICE}/AddArtifacts`, c.ser, c.de, this.metadata(), this.callOptions(), (err) =>
          err ? reject(this.failure(err, what)) : resolve(),
        ),
        c.meter,
      );
      for (const payload of requests) call.write(create(AddArtifactsRequestSchema, { ...this.base(), payload }));
      call.end();
    });
  }

  /** Interrupts every running operation of this session (Ctrl-C). */
  interruptAll(): Promise<void> {
    if (this.lost) return Promise.resolve();
    const req = create(InterruptRequestSchema, { ...this.base(), interruptType: InterruptRequest_InterruptType.ALL });
    const c = this.codecs(interrupt, "Interrupt", "all", "interrupting");
    return new Promise((resolve) => {
      this.grpc.makeUnaryRequest(`${SERVICE}/Interrupt`, c.ser, c.de, req, this.metadata(), { deadline: Date.now() + 5_000 }, () => {
        c.meter?.end();
        resolve();
      });
    });
  }

  /** Ends the session on the server, which frees everything it cached for us (models, uploaded data). */
  releaseSession(): Promise<void> {
    // A lost server has nothing to release (a restarted one never knew this session; a stalled one would hang).
    if (this.closed || this.lost) return Promise.resolve();
    const req = create(ReleaseSessionRequestSchema, { sessionId: this.sessionId, userContext: this.base().userContext, clientType: this.clientType });
    const c = this.codecs(release, "ReleaseSession", "session", "releasing the session");
    return new Promise((resolve) => {
      this.grpc.makeUnaryRequest(`${SERVICE}/ReleaseSession`, c.ser, c.de, req, this.metadata(), { deadline: Date.now() + 10_000 }, () => {
        c.meter?.end();
        resolve();
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.grpc.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("Spark Connect session is closed");
  }
}

function safeUserName(): string {
  try {
    return userInfo().username || "recpipe";
  } catch {
    return "recpipe";
  }
}
