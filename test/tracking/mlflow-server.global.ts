/**
 * Vitest global setup: ONE real `mlflow server` (PyPI mlflow 3.17.2 from .venv-mlflow, scripts/setup-mlflow-venv.sh)
 * for every tracking test of a run: sqlite backend and artifact store in a temporary folder, --workers 1, a free
 * loopback port, its own process group (the server forks a worker), stopped at the end. It starts in the background
 * (about 20 s) while other test files run; tests wait for /health (mlflow-server.ts). Started only when the run
 * selects the tracking tests (no file filter, or a filter naming them).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

export type MlflowServerInfo = { port: number; log: string; pid: number; python: string; startedAt: number } | { missing: string };

declare module "vitest" {
  export interface ProvidedContext {
    mlflowServer: MlflowServerInfo;
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const MLFLOW_PYTHON = path.join(repoRoot, ".venv-mlflow", "bin", "python");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function wanted(): boolean {
  const args = process.argv.slice(2).filter((a) => !a.startsWith("-") && a !== "run" && !a.endsWith("vitest") && !a.endsWith(".mjs"));
  return args.length === 0 || args.some((a) => a.includes("tracking"));
}

let child: ChildProcess | undefined;
let dir: string | undefined;

async function start(): Promise<MlflowServerInfo> {
  const probe = spawnSync(MLFLOW_PYTHON, ["-c", "import mlflow, pyspark; print(mlflow.__version__)"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return { missing: `${MLFLOW_PYTHON} cannot import mlflow and pyspark; run \`bash scripts/setup-mlflow-venv.sh\`` };
  if (probe.stdout.trim() !== "3.17.2")
    return { missing: `${MLFLOW_PYTHON} has mlflow ${probe.stdout.trim()}, not 3.17.2; run \`bash scripts/setup-mlflow-venv.sh\`` };
  dir = mkdtempSync(path.join(tmpdir(), "recpipe-mlflow-"));
  const port = await freePort();
  const log = path.join(dir, "server.log");
  const out = openSync(log, "w");
  const mlflowBin = path.join(path.dirname(MLFLOW_PYTHON), "mlflow");
  const startedAt = Date.now();
  child = spawn(
    mlflowBin,
    ["server", "--backend-store-uri", `sqlite:///${path.join(dir, "mlflow.db")}`, "--host", "127.0.0.1", "--port", String(port), "--workers", "1"],
    {
      cwd: dir, // artifacts land in ./mlartifacts
      stdio: ["ignore", out, out],
      detached: true,
      env: { ...process.env, MLFLOW_TRACKING_URI: "", MLFLOW_TRACKING_TOKEN: "" },
    },
  );
  return { port, log, pid: child.pid!, python: MLFLOW_PYTHON, startedAt };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  project.provide("mlflowServer", wanted() ? await start() : { missing: "not started: this run did not select the tracking tests" });
  return async () => {
    const c = child;
    if (c?.pid && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((r) => c.once("exit", () => r()));
      signalGroup(c.pid, "SIGTERM");
      // The server and its worker stop together; a worker that lingers is killed rather than kept past the run.
      const late = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000))]);
      if (late) signalGroup(c.pid, "SIGKILL");
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
