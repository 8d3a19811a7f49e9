/**
 * Failure modes against a fake MLflow server (fake-mlflow.ts): retries with bounded backoff, refusals and silence as
 * exit 2 before any work, a failure part-way as exit 1 with the run directory complete and the MLflow run FAILED,
 * and no secret in any output or file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRegistry } from "../../stages/index.js";
import { readRunSummary } from "../../src/runs/run-summary.js";
import type { Manifest } from "../../src/run/manifest.js";
import { connectToMlflow } from "../../src/tracking/connect.js";
import type { FinishedRun } from "../../src/tracking/finished-run.js";
import { logFinishedRun } from "../../src/tracking/log-run.js";
import { MlflowClient, MlflowHttpError } from "../../src/tracking/mlflow-client.js";
import { runCliAsync } from "../cli/run-cli.js";
import { FakeMlflow } from "./fake-mlflow.js";

const NO_MLFLOW_ENV = {
  MLFLOW_TRACKING_URI: "",
  MLFLOW_EXPERIMENT_NAME: "",
  MLFLOW_TRACKING_TOKEN: "",
  MLFLOW_TRACKING_USERNAME: "",
  MLFLOW_TRACKING_PASSWORD: "",
};
const TOKEN = "tok-SECRET-9f8e7d6c5b4a";
const PASSWORD = "pw-SECRET-0a1b2c3d";

let dir: string;
let fake: FakeMlflow;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "recpipe-fake-mlflow-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await fake?.stop();
});

function pipeline(name: string): { file: string; runs: string } {
  const runs = path.join(dir, name, "runs");
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
source: {type: synthetic-ratings, users: 60, items: 40, rank: 2, density: 0.2}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 2, coldStartStrategy: drop}
output: {dir: ${runs}}
`,
  );
  return { file, runs };
}

function runDirs(runs: string): string[] {
  try {
    return readdirSync(runs);
  } catch {
    return [];
  }
}

/** Every file of a folder, as text (binary files too: a secret must not be in any byte). */
function allText(folder: string): string {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name), "latin1"))
    .join("\n");
}

describe("MlflowClient retries", () => {
  it("retries 503 and 429 with growing delays, honouring Retry-After, then succeeds", async () => {
    fake = await new FakeMlflow().start();
    let n = 0;
    fake.override = () => (++n === 1 ? { status: 503 } : n === 2 ? { status: 429, headers: { "Retry-After": "0.3" } } : n === 3 ? { status: 500 } : undefined);
    const client = new MlflowClient({ uri: fake.url, experiment: "e", uriFrom: "test" }, { retry: { tries: 4, baseDelayMs: 50, maxDelayMs: 1000 } });
    await expect(client.post("experiments/create", { name: "x" })).resolves.toEqual({ experiment_id: "1" });
    const at = fake.requests.map((r) => r.at);
    expect(at).toHaveLength(4);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(45); // 50 ms
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(290); // Retry-After 0.3 s
    expect(at[3] - at[2]).toBeGreaterThanOrEqual(190); // 200 ms: the third retry's exponential delay
  });

  it("gives up after a bounded number of tries, within seconds, naming the status", async () => {
    fake = await new FakeMlflow().start();
    fake.override = () => ({ status: 502, body: "bad gateway" });
    const client = new MlflowClient({ uri: fake.url, experiment: "e", uriFrom: "test" });
    const t0 = Date.now();
    const e = await client.post("runs/log-batch", {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlflowHttpError);
    expect((e as MlflowHttpError).status).toBe(502);
    expect((e as Error).message).toMatch(/after 4 tries/);
    expect(fake.requests).toHaveLength(4);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("does not retry a refusal (400)", async () => {
    fake = await new FakeMlflow().start();
    fake.override = () => ({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE", message: "Changing param values is not allowed" } });
    const client = new MlflowClient({ uri: fake.url, experiment: "e", uriFrom: "test" });
    await expect(client.post("runs/log-batch", {})).rejects.toThrow(/INVALID_PARAMETER_VALUE: Changing param values/);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("recpipe run --track: refusals before any work (exit 2, no run directory)", () => {
  it("401 with a bad token: names the URI and the variable, never the token", async () => {
    fake = await new FakeMlflow().start();
    // A server that echoes the credentials it got must not make recpipe print them.
    fake.override = (r) => ({ status: 401, body: { error_code: "UNAUTHENTICATED", message: `bad credentials: ${r.authorization}` } });
    const { file, runs } = pipeline("refused");
    const r = await runCliAsync(["run", file, "--track", fake.url, "--json"], { env: { ...NO_MLFLOW_ENV, MLFLOW_TRACKING_TOKEN: TOKEN } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(fake.url);
    expect(r.stderr).toMatch(/HTTP 401/);
    expect(r.stderr).toContain("MLFLOW_TRACKING_TOKEN");
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
    expect(r.stderr).toContain("Bearer ***");
    expect(fake.requests[0].authorization).toBe(`Bearer ${TOKEN}`);
    expect(runDirs(runs)).toEqual([]);
  });

  it("403 with basic auth: the password and its base64 never printed", async () => {
    fake = await new FakeMlflow().start();
    fake.override = (r) => ({ status: 403, body: { error_code: "PERMISSION_DENIED", message: `user cannot write (${r.authorization})` } });
    const { file, runs } = pipeline("forbidden");
    const r = await runCliAsync(["run", file, "--quiet"], {
      env: { ...NO_MLFLOW_ENV, MLFLOW_TRACKING_URI: fake.url, MLFLOW_TRACKING_USERNAME: "ann", MLFLOW_TRACKING_PASSWORD: PASSWORD },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused recpipe: .*HTTP 403/);
    expect(r.stderr).toContain("MLFLOW_TRACKING_URI");
    const b64 = Buffer.from(`ann:${PASSWORD}`).toString("base64");
    expect(fake.requests[0].authorization).toBe(`Basic ${b64}`);
    expect(r.stderr + r.stdout).not.toContain(PASSWORD);
    expect(r.stderr + r.stdout).not.toContain(b64);
    expect(runDirs(runs)).toEqual([]);
  });

  it("nothing listening, and a server that never answers: exit 2 within seconds", async () => {
    const { file, runs } = pipeline("unreachable");
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const r1 = await runCliAsync(["run", file, "--track", `http://127.0.0.1:${closed}`], { env: NO_MLFLOW_ENV });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(new RegExp(`cannot reach the MLflow tracking server at http://127.0.0.1:${closed} \\(--track\\): ECONNREFUSED`));
    fake = await new FakeMlflow().start();
    fake.override = () => "hang";
    const t0 = Date.now();
    const r2 = await runCliAsync(["run", file, "--track", fake.url], { env: NO_MLFLOW_ENV });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/no response within 5 s/);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(runDirs(runs)).toEqual([]);
  });

  it("a URL that is not an HTTP tracking server, or that holds credentials, is refused before contacting anything", async () => {
    const { file, runs } = pipeline("bad-url");
    const r1 = await runCliAsync(["run", file, "--track", "sqlite:///mlflow.db"], { env: NO_MLFLOW_ENV });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/--track: recpipe logs to an MLflow tracking server over HTTP/);
    const r2 = await runCliAsync(["run", file, "--track", `http://ann:${PASSWORD}@127.0.0.1:5000`], { env: NO_MLFLOW_ENV });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/must not hold credentials/);
    expect(r2.stderr).not.toContain(PASSWORD);
    writeFileSync(file, readFileSync(file, "utf8") + `tracking: {mlflow: "http://ann:${PASSWORD}@127.0.0.1:5000"}\n`);
    const r3 = await runCliAsync(["run", file], { env: NO_MLFLOW_ENV });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/tracking\.mlflow must not hold credentials/);
    expect(runDirs(runs)).toEqual([]);
  });
});

describe("logFinishedRun within MLflow's limits", () => {
  it("sends at most 100 params and 1000 metrics per log-batch, long values cut to 6000 characters", async () => {
    fake = await new FakeMlflow().start();
    const target = { uri: fake.url, experiment: "limits", uriFrom: "test" };
    const session = await connectToMlflow(target);
    const source = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, i]));
    const run: FinishedRun = {
      dir,
      name: "limits-20260101-000000",
      files: [],
      pipeline: { name: "limits", source, split: { type: "none", note: "x".repeat(7000) } },
      manifest: {
        createdAt: new Date(0).toISOString(),
        timingsSeconds: {},
        inputs: [],
        pipelineFile: "p.yaml",
        recpipeVersion: "0",
        seed: 1,
        engine: "local",
      } as unknown as Manifest,
      metricsFile: { metrics: Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`m${i}@10`, i / 7])), trainingLoss: { als: [3, 2, 1] } },
    };
    const logged = await logFinishedRun(session, run);
    expect(logged.runId).toBe("run1");
    const batches = fake.calls("runs/log-batch");
    const params = batches.flatMap((b) => (b.params as { key: string; value: string }[]) ?? []);
    const metrics = batches.flatMap((b) => (b.metrics as { key: string; value: number; step: number }[]) ?? []);
    for (const b of batches) {
      expect(((b.params as unknown[]) ?? []).length).toBeLessThanOrEqual(100);
      expect(((b.metrics as unknown[]) ?? []).length).toBeLessThanOrEqual(1000);
    }
    expect(params).toHaveLength(252);
    expect(params.find((p) => p.key === "split.note")!.value).toHaveLength(6000);
    expect(metrics.filter((m) => m.key.startsWith("test.m"))).toHaveLength(1500);
    expect(metrics.find((m) => m.key === "test.m3_at_10")!.value).toBe(3 / 7);
    expect(metrics.filter((m) => m.key === "als.training_loss").map((m) => [m.step, m.value])).toEqual([
      [1, 3],
      [2, 2],
      [3, 1],
    ]);
    expect(fake.calls("runs/update").at(-1)).toMatchObject({ status: "FINISHED" });
  });
});

describe("recpipe run --track: a failure part-way", () => {
  it("keeps the run directory complete, marks the MLflow run FAILED, says what was not logged and exits 1", async () => {
    fake = await new FakeMlflow().start();
    // The artifact store fails for good on the model's files (after the retries), as a full disk would.
    fake.override = (r) =>
      r.method === "PUT" && r.path.includes("/model/")
        ? { status: 500, body: { error_code: "INTERNAL_ERROR", message: "No space left on device" } }
        : undefined;
    const { file, runs } = pipeline("midway");
    const r = await runCliAsync(["run", file, "--track", fake.url, "--json", "--quiet"], { env: { ...NO_MLFLOW_ENV, MLFLOW_TRACKING_TOKEN: TOKEN } });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { runDir: string; mlflow: { runId: string; status: string; notLogged: string[] } };
    expect(out.mlflow.status).toBe("FAILED");
    expect(out.mlflow.notLogged.join("; ")).toMatch(/artifact files .*model\/sparkml/);
    expect(out.mlflow.notLogged.join("; ")).toMatch(/the MLflow model/);
    expect(r.stderr).toMatch(/No space left on device/);
    expect(r.stderr).toMatch(new RegExp(`recpipe log \\S*${path.basename(out.runDir)} --track ${fake.url.replace(/\./g, "\\.")} --experiment midway`));
    expect(r.stderr).toMatch(/is complete/);
    expect(readRunSummary(out.runDir, createRegistry()).status).toBe("complete");
    expect(runDirs(runs)).toEqual([path.basename(out.runDir)]);
    const updates = fake.calls("runs/update");
    expect(updates.at(-1)).toMatchObject({ run_id: out.mlflow.runId, status: "FAILED" });
    // Params and metrics did go before the artifacts.
    expect(fake.calls("runs/log-batch").some((b) => Array.isArray(b.params) && b.params.length > 0)).toBe(true);
    // The token: sent to the server, never written anywhere.
    expect(fake.requests.every((q) => q.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
    expect(allText(out.runDir)).not.toContain(TOKEN);
  });

  it("a successful run with a token: FINISHED, the MLmodel last, and no secret in the run directory", async () => {
    fake = await new FakeMlflow().start();
    const { file } = pipeline("finished");
    const r = await runCliAsync(["run", file, "--track", fake.url, "--json", "--quiet"], { env: { ...NO_MLFLOW_ENV, MLFLOW_TRACKING_TOKEN: TOKEN } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { runDir: string; mlflow: { runId: string; status: string } };
    expect(out.mlflow.status).toBe("FINISHED");
    expect(fake.calls("runs/update").at(-1)).toMatchObject({ run_id: out.mlflow.runId, status: "FINISHED" });
    const puts = fake.requests.filter((q) => q.method === "PUT").map((q) => decodeURIComponent(q.path.split("/artifacts/").slice(2).join("/artifacts/")));
    expect(puts).toContain("report.html");
    expect(puts.at(-1)).toBe("model/MLmodel");
    expect(r.stderr + r.stdout).not.toContain(TOKEN);
    expect(allText(out.runDir)).not.toContain(TOKEN);
  });
});
