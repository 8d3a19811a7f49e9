/**
 * A --remote run tracks as a local one does (tracking reads the finished run directory): the same pipeline on a real
 * Spark Connect server and a real MLflow server (test/tracking's global setup), read back with MLflow's client.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../cli/run-cli.js";
import { mlflowServerInfo, waitForMlflow } from "../tracking/mlflow-server.js";
import { serverInfo, waitForServer } from "./spark-server.js";
import { repoRoot } from "./shared-data.js";

const spark = serverInfo("4.0");
const mlflow = mlflowServerInfo();
const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-remote-tracking-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NO_MLFLOW_ENV = {
  MLFLOW_TRACKING_URI: "",
  MLFLOW_EXPERIMENT_NAME: "",
  MLFLOW_TRACKING_TOKEN: "",
  MLFLOW_TRACKING_USERNAME: "",
  MLFLOW_TRACKING_PASSWORD: "",
  SPARK_REMOTE: "",
};

// Skips only outside CI: under CI=true serverInfo/mlflowServerInfo throw when a server is missing, so the file fails.
describe.skipIf("missing" in spark || "missing" in mlflow)("a --remote run tracked in MLflow", () => {
  it("logs the Spark server's version and engine as tags, metrics equal to metrics.json, and the fetched model as an MLflow spark model", async () => {
    const [sc, ml] = await Promise.all([waitForServer(spark), waitForMlflow(mlflow)]);
    const r = await runCliAsync(
      [
        "run",
        path.join(repoRoot, "pipelines", "quickstart.yaml"),
        "--remote",
        sc.url,
        "--track",
        ml.url,
        "--experiment",
        "remote-tracked",
        "--out",
        dir,
        "--json",
        "--quiet",
        "--set",
        "source.users=200",
        "--set",
        "source.items=150",
        "--set",
        "pipeline.als.maxIter=3",
        "--set",
        "recommend.k=3",
      ],
      { env: NO_MLFLOW_ENV },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { runDir: string; mlflow: { runId: string; status: string } };
    expect(out.mlflow.status).toBe("FINISHED");
    const py = spawnSync(ml.python, [path.join(repoRoot, "test", "tracking", "mlflow_read.py"), "remote-tracked"], {
      encoding: "utf8",
      env: { ...process.env, ...NO_MLFLOW_ENV, MLFLOW_TRACKING_URI: ml.url },
    });
    expect(py.status, py.stderr).toBe(0);
    const runs = (
      JSON.parse(py.stdout.replace(/\bNaN\b/g, "null")) as {
        runs: { id: string; status: string; tags: Record<string, string>; metrics: Record<string, number>; artifacts: string[] }[];
      }
    ).runs;
    expect(runs.map((x) => x.id)).toEqual([out.mlflow.runId]);
    const manifest = JSON.parse(readFileSync(path.join(out.runDir, "manifest.json"), "utf8"));
    const metrics = JSON.parse(readFileSync(path.join(out.runDir, "metrics.json"), "utf8"));
    expect(runs[0].tags["recpipe.engine"]).toBe("spark-connect");
    expect(runs[0].tags["recpipe.sparkVersion"]).toBe(manifest.sparkVersion);
    expect(runs[0].tags["recpipe.sparkVersion"]).toMatch(/^4\.0\./);
    expect(runs[0].tags["recpipe.remote"]).toBe(sc.url);
    expect(runs[0].metrics["test.rmse"]).toBe(metrics.metrics.rmse);
    expect(runs[0].artifacts).toContain("model/MLmodel");
    expect(runs[0].artifacts).toContain("report.html");
    expect(runs[0].artifacts.some((a) => a.startsWith("model/sparkml/stages/"))).toBe(true);
  }, 300_000);
});
