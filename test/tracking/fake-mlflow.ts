/**
 * A small stand-in for an MLflow tracking server (node:http on a loopback port), for the failure modes a real server
 * will not produce on demand: 429/5xx, refusals, failures part-way through logging. It answers the calls recpipe makes
 * as MLflow 3.17.2 does (see ../shared/reference/mlflow.md) and records every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body: string;
  at: number;
}
export type Override = (req: RecordedRequest) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined | "hang";

export class FakeMlflow {
  readonly requests: RecordedRequest[] = [];
  private server!: Server;
  private experiments = new Map<string, string>();
  private runs = 0;
  override: Override = () => undefined;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Bodies of the JSON calls to one endpoint, parsed. */
  calls(endpoint: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.path.startsWith(`/api/2.0/mlflow/${endpoint}`)).map((r) => (r.body ? JSON.parse(r.body) : {}));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec: RecordedRequest = {
      method: req.method!,
      path: req.url!,
      authorization: req.headers.authorization,
      body: Buffer.concat(chunks).toString("utf8"),
      at: Date.now(),
    };
    this.requests.push(rec);
    const o = this.override(rec);
    if (o === "hang") return; // never answers
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (o) return send(o.status, o.body ?? { error_code: "INTERNAL_ERROR", message: "fake failure" }, o.headers);
    const url = new URL(rec.path, "http://x");
    const p = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, "");
    if (url.pathname.startsWith("/api/2.0/mlflow-artifacts/artifacts/") && rec.method === "PUT") return send(200, {});
    if (p === "experiments/get-by-name") {
      const name = url.searchParams.get("experiment_name")!;
      const id = this.experiments.get(name);
      if (!id) return send(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Could not find experiment with name '${name}'` });
      return send(200, { experiment: { experiment_id: id, name, artifact_location: `mlflow-artifacts:/${id}`, lifecycle_stage: "active" } });
    }
    if (p === "experiments/create") {
      const id = String(this.experiments.size + 1);
      this.experiments.set((JSON.parse(rec.body) as { name: string }).name, id);
      return send(200, { experiment_id: id });
    }
    if (p === "runs/create") {
      const body = JSON.parse(rec.body) as { experiment_id: string };
      const id = `run${++this.runs}`;
      return send(200, {
        run: {
          info: { run_id: id, experiment_id: body.experiment_id, artifact_uri: `mlflow-artifacts:/${body.experiment_id}/${id}/artifacts`, status: "RUNNING" },
        },
      });
    }
    if (p === "runs/log-batch" || p === "runs/update") return send(200, {});
    send(404, { error_code: "ENDPOINT_NOT_FOUND", message: `no ${rec.path}` });
  }
}
