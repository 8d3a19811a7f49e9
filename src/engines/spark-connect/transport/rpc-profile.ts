import { writeFileSync } from "node:fs";
import type { AnalyzePlanRequest, Plan } from "../gen/spark/connect/base_pb.js";

/**
 * `RECPIPE_CONNECT_PROFILE=FILE`: every Spark Connect request of the process is counted (per RPC and per plan or
 * command kind: count, bytes each way, wall) and the tally is written to FILE as JSON when the process exits. For
 * comparing recpipe's traffic with another client's on the same job (bench/spark-connect-profile.ts). Unset, nothing
 * is counted: the client's codecs are the plain ones.
 */
export const PROFILE_ENV = "RECPIPE_CONNECT_PROFILE";

export interface RpcTally {
  rpc: string;
  kind: string;
  count: number;
  requestBytes: number;
  responseBytes: number;
  /** Summed wall of the requests, start to status; overlapping requests both count. */
  wallMs: number;
}

export interface RpcProfileFile {
  client: "recpipe";
  /** Wall from the first request's start to the last one's end. */
  spanMs: number;
  /** The most ExecutePlan requests in flight at once (parallel trials show as 2). */
  maxExecuteInFlight: number;
  /** The steps of the requests in flight when that most was first reached (what a third request in flight was). */
  maxExecuteInFlightSteps: string[];
  /** Wall with at least two ExecutePlan requests in flight. */
  overlapMs: number;
  rpcs: RpcTally[];
  /** The same requests by the step recpipe names in its messages (fold and trial numbers folded into #). */
  steps: RpcTally[];
}

/** One request being counted: bytes as they are serialized and parsed, then its end. */
export interface RpcMeter {
  sent(bytes: number): void;
  received(bytes: number): void;
  end(): void;
}

class RpcProfile {
  private readonly rpcs = new Map<string, RpcTally>();
  private readonly steps = new Map<string, RpcTally>();
  private first = Infinity;
  private last = 0;
  private inFlight = 0;
  private maxInFlight = 0;
  private readonly running = new Map<number, string>();
  private nextId = 0;
  private maxInFlightSteps: string[] = [];
  private overlapSince = 0;
  private overlapMs = 0;

  constructor(private readonly file: string) {
    process.once("exit", () => this.write());
  }

  start(rpc: string, kind: string, step?: string): RpcMeter {
    const t0 = performance.now();
    this.first = Math.min(this.first, t0);
    const tallies = [tally(this.rpcs, rpc, kind)];
    if (step) tallies.push(tally(this.steps, rpc, step.replace(/\d+/g, "#")));
    for (const t of tallies) t.count++;
    const execute = rpc === "ExecutePlan";
    const id = this.nextId++;
    if (execute) this.enter(t0, id, step?.replace(/\d+/g, "#") ?? kind);
    let ended = false;
    return {
      sent: (n) => tallies.forEach((t) => (t.requestBytes += n)),
      received: (n) => tallies.forEach((t) => (t.responseBytes += n)),
      end: () => {
        if (ended) return;
        ended = true;
        const t1 = performance.now();
        this.last = Math.max(this.last, t1);
        for (const t of tallies) t.wallMs += t1 - t0;
        if (execute) this.leave(t1, id);
      },
    };
  }

  private enter(t: number, id: number, step: string): void {
    if (++this.inFlight === 2) this.overlapSince = t;
    this.running.set(id, step);
    if (this.inFlight > this.maxInFlight) this.maxInFlightSteps = [...this.running.values()];
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  private leave(t: number, id: number): void {
    this.running.delete(id);
    if (this.inFlight-- === 2) this.overlapMs += t - this.overlapSince;
  }

  write(): void {
    const rows = (m: Map<string, RpcTally>) => [...m.values()].map((t) => ({ ...t, wallMs: Math.round(t.wallMs) })).sort((a, b) => b.wallMs - a.wallMs);
    const out: RpcProfileFile = {
      client: "recpipe",
      spanMs: Math.round(this.last > this.first ? this.last - this.first : 0),
      maxExecuteInFlight: this.maxInFlight,
      maxExecuteInFlightSteps: this.maxInFlightSteps,
      overlapMs: Math.round(this.overlapMs),
      rpcs: rows(this.rpcs),
      steps: rows(this.steps),
    };
    writeFileSync(this.file, JSON.stringify(out, null, 1) + "\n");
  }
}

function tally(m: Map<string, RpcTally>, rpc: string, kind: string): RpcTally {
  const key = `${rpc}\0${kind}`;
  let t = m.get(key);
  if (!t) m.set(key, (t = { rpc, kind, count: 0, requestBytes: 0, responseBytes: 0, wallMs: 0 }));
  return t;
}

let shared: RpcProfile | undefined;
/** The process's profile when `RECPIPE_CONNECT_PROFILE` names a file, else undefined (and nothing is counted). */
export function rpcProfile(env: NodeJS.ProcessEnv = process.env): RpcProfile | undefined {
  const file = env[PROFILE_ENV];
  if (!file) return undefined;
  return (shared ??= new RpcProfile(file));
}

/** What an ExecutePlan runs: the ML command (`ml fit`), another command, or the root relation's kind (`root sql`). */
export function planKind(plan: Plan): string {
  if (plan.opType.case === "root") {
    const rel = plan.opType.value.relType;
    return rel.case === "mlRelation" ? `root ml ${rel.value.mlType.case}` : `root ${rel.case}`;
  }
  if (plan.opType.case === "command") {
    const cmd = plan.opType.value.commandType;
    return cmd.case === "mlCommand" ? `ml ${cmd.value.command.case}` : `command ${cmd.case}`;
  }
  return "none";
}

/** What an AnalyzePlan asks: persist, unpersist, sparkVersion, ... */
export function analyzeKind(req: AnalyzePlanRequest): string {
  return req.analyze.case ?? "none";
}
