/**
 * Tracking against a REAL `mlflow server` (mlflow 3.17.2, started once by mlflow-server.global.ts), read back with
 * MLflow's own Python client: params, metrics equal to metrics.json, the loss per sweep as steps, tags, artifacts,
 * the model loaded with mlflow.spark.load_model("runs:/<id>/model") in PySpark predicting what recpipe predicts;
 * a tuned run's child runs; `recpipe log` of a run made offline; refusals before any work.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../cli/run-cli.js";
import { mlflowServerInfo, waitForMlflow, type ReadyMlflow } from "./mlflow-server.js";

const info = mlflowServerInfo();
const here = path.dirname(new URL(import.meta.url).pathname);
const NO_MLFLOW_ENV = {
  MLFLOW_TRACKING_URI: "",
  MLFLOW_EXPERIMENT_NAME: "",
  MLFLOW_TRACKING_TOKEN: "",
  MLFLOW_TRACKING_USERNAME: "",
  MLFLOW_TRACKING_PASSWORD: "",
};

interface ReadRun {
  id: string;
  name: string;
  status: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  artifacts: string[];
  lossHistory: Record<string, [number, number][]>;
}
interface Read {
  experimentId: string | null;
  runs: ReadRun[];
  predictions?: (number | null)[];
  modelStages?: string[];
}

function pipelineYaml(dir: string, extra = ""): string {
  const file = path.join(dir, `p-${Math.random().toString(36).slice(2, 8)}.yaml`);
  writeFileSync(
    file,
    `name: tracked
seed: 7
source: {type: synthetic-ratings, users: 150, items: 80, rank: 3, density: 0.15, noise: 0.2}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, ratingCol: rating, rank: 3, maxIter: 4, regParam: 0.1, coldStartStrategy: drop}
evaluate:
  - {type: regression-evaluator, metricName: rmse}
  - {type: ranking-evaluator, metricName: ndcgAtK, k: 5}
output: {dir: ${path.join(dir, "runs")}}
${extra}`,
  );
  return file;
}

// Skips only outside CI: under CI=true mlflowServerInfo throws when the server is missing, so the file fails.
describe.skipIf("missing" in info)("tracking against a real mlflow server", () => {
  let srv: ReadyMlflow;
  let dir: string;
  const t0 = Date.now();
  const read = (experiment: string, predict?: [string, string]): Read => {
    const r = spawnSync(srv.python, [path.join(here, "mlflow_read.py"), experiment, ...(predict ? ["--predict", ...predict] : [])], {
      encoding: "utf8",
      env: { ...process.env, ...NO_MLFLOW_ENV, MLFLOW_TRACKING_URI: srv.url },
    });
    if (r.status !== 0) throw new Error(`mlflow_read.py failed:\n${r.stderr.split("\n").slice(-15).join("\n")}`);
    return JSON.parse(r.stdout.replace(/\bNaN\b/g, "null")) as Read;
  };

  beforeAll(async () => {
    srv = await waitForMlflow(info);
    dir = mkdtempSync(path.join(tmpdir(), "recpipe-tracking-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`[tracking] real-mlflow tests took ${((Date.now() - t0) / 1000).toFixed(1)} s (server start-up ${srv?.startupSeconds.toFixed(1)} s)`);
  });

  it("logs params, metrics, loss steps, tags and artifacts; mlflow.spark.load_model predicts what recpipe predicts", async () => {
    const file = pipelineYaml(dir, "tracking: {experiment: from-the-file}");
    const r = await runCliAsync(["run", file, "--track", srv.url, "--json", "--quiet"], { env: { ...NO_MLFLOW_ENV, MLFLOW_EXPERIMENT_NAME: "tracked-main" } });
    expect(r.stderr).not.toMatch(/recpipe:/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { runDir: string; mlflow: { runId: string; status: string; url: string } };
    expect(out.mlflow.status).toBe("FINISHED");
    expect(out.mlflow.url).toContain(out.mlflow.runId);

    // Pairs the model knows (its own top lists) and recpipe's predictions for them.
    const recs = await runCliAsync(["recommend", "--model", out.runDir, "--all", "-k", "2", "--format", "csv"], { env: NO_MLFLOW_ENV });
    expect(recs.code).toBe(0);
    const lines = recs.stdout.trim().split("\n");
    const header = lines[0].split(",");
    const [ui, ii] = [header.indexOf("user"), header.indexOf("item")];
    const pairs = path.join(dir, "pairs.csv");
    writeFileSync(
      pairs,
      [
        "user,item",
        ...lines.slice(1, 41).map((l) => {
          const c = l.split(",");
          return `${c[ui]},${c[ii]}`;
        }),
      ].join("\n") + "\n",
    );
    const predsFile = path.join(dir, "preds.csv");
    const pred = await runCliAsync(["predict", "--model", out.runDir, "--input", pairs, "--out", predsFile], { env: NO_MLFLOW_ENV });
    expect(pred.code, pred.stderr).toBe(0);
    const predRows = readFileSync(predsFile, "utf8").trim().split("\n");
    const pi = predRows[0].split(",").indexOf("prediction");
    const ours = predRows.slice(1).map((l) => Number(l.split(",")[pi]));
    expect(ours).toHaveLength(40);

    // The environment's experiment wins over the file's; the file's experiment was not created.
    const got = read("tracked-main", [out.mlflow.runId, pairs]);
    expect(read("from-the-file").experimentId).toBeNull();
    expect(got.runs).toHaveLength(1);
    const run = got.runs[0];
    expect(run.id).toBe(out.mlflow.runId);
    expect(run.status).toBe("FINISHED");
    const metricsJson = JSON.parse(readFileSync(path.join(out.runDir, "metrics.json"), "utf8"));
    expect(run.metrics["test.rmse"]).toBe(metricsJson.metrics.rmse);
    expect(run.metrics["test.ndcgAtK_at_5"]).toBe(metricsJson.metrics["ndcgAtK@5"]);
    expect(run.metrics["train.rmse"]).toBe(metricsJson.trainMetrics.rmse);
    expect(run.metrics["baseline.global-mean.rmse"]).toBe(metricsJson.baselines["global-mean"].rmse);
    expect(run.lossHistory["als.training_loss"]).toEqual(metricsJson.trainingLoss.als.map((v: number, i: number) => [i + 1, v]));
    expect(run.lossHistory["als.training_loss"]).toHaveLength(4);
    expect(run.params["pipeline.als.rank"]).toBe("3");
    expect(run.params["split.weights"]).toBe("[0.8,0.2]");
    expect(run.params["seed"]).toBe("7");
    expect(Object.keys(run.params).some((k) => k.startsWith("tracking."))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(out.runDir, "manifest.json"), "utf8"));
    expect(run.tags).toMatchObject({
      "mlflow.runName": path.basename(out.runDir),
      "mlflow.source.name": file,
      "mlflow.source.type": "LOCAL",
      "recpipe.engine": "local",
      "recpipe.seed": "7",
      "recpipe.input.rows": String(manifest.inputs[0].rows),
      "recpipe.version": manifest.recpipeVersion,
    });
    for (const f of ["pipeline.yaml", "manifest.json", "metrics.json", "report.html", "model/MLmodel"]) expect(run.artifacts).toContain(f);
    expect(run.artifacts.filter((a) => a.startsWith("model/sparkml/")).length).toBe(
      readdirSync(path.join(out.runDir, "model"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length,
    );

    expect(got.modelStages).toEqual(["StringIndexerModel", "ALSModel"]);
    expect(got.predictions).toHaveLength(40);
    got.predictions!.forEach((p, i) => expect(Math.abs(p! - ours[i])).toBeLessThan(1e-5));
  }, 300_000);

  it("a tuned run logs one child run per param map with its fold metrics, and its best pipeline as the model", async () => {
    const file = pipelineYaml(
      dir,
      `tune:
  type: cross-validator
  numFolds: 2
  evaluator: {type: regression-evaluator, metricName: rmse}
  paramGrid: {als.rank: [2, 3], als.regParam: [0.05, 0.2]}`,
    );
    const r = await runCliAsync(["run", file, "--json", "--quiet"], {
      env: { ...NO_MLFLOW_ENV, MLFLOW_TRACKING_URI: srv.url, MLFLOW_EXPERIMENT_NAME: "tracked-cv" },
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { runDir: string; mlflow: { runId: string }; tune: { best: Record<string, unknown> } };
    const got = read("tracked-cv");
    expect(got.runs).toHaveLength(5);
    const parent = got.runs.find((x) => x.id === out.mlflow.runId)!;
    const kids = got.runs.filter((x) => x.tags["mlflow.parentRunId"] === parent.id);
    expect(kids).toHaveLength(4);
    const metricsJson = JSON.parse(readFileSync(path.join(out.runDir, "metrics.json"), "utf8"));
    const avg = kids
      .map((k) => [Number(k.params["pipeline.als.rank"]), Number(k.params["pipeline.als.regParam"]), k.metrics["avg_rmse"]])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const grid = metricsJson.tune.grid
      .map((g: Record<string, number>, i: number) => [g["als.rank"], g["als.regParam"], metricsJson.tune.avgMetrics[i]])
      .sort((a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1]);
    expect(avg).toEqual(grid);
    for (const k of kids) {
      expect(k.status).toBe("FINISHED");
      expect(k.metrics["fold0.rmse"]).toBeTypeOf("number");
      expect(k.metrics["fold1.rmse"]).toBeTypeOf("number");
      expect(k.metrics["avg_rmse"]).toBeCloseTo((k.metrics["fold0.rmse"] + k.metrics["fold1.rmse"]) / 2, 10);
      expect(k.metrics["std_rmse"]).toBeTypeOf("number");
    }
    expect(parent.params["best.pipeline.als.rank"]).toBe(String(out.tune.best["als.rank"]));
    expect(parent.artifacts).toContain("tuned-model/bestModel/metadata/part-00000");
    expect(parent.artifacts).toContain("model/MLmodel");
    expect(parent.artifacts.some((a) => a.startsWith("model/sparkml/stages/"))).toBe(true);
    expect(parent.artifacts).toContain("tuning.parquet");
  }, 300_000);

  it("recpipe log logs a run made without tracking, and refuses a damaged run with exit 2", async () => {
    const file = pipelineYaml(dir);
    const r = await runCliAsync(["run", file, "--json", "--quiet"], { env: NO_MLFLOW_ENV });
    expect(r.code, r.stderr).toBe(0);
    const runDir = (JSON.parse(r.stdout) as { runDir: string; mlflow?: unknown }).runDir;
    expect(JSON.parse(r.stdout).mlflow).toBeUndefined();
    const logged = await runCliAsync(["log", runDir, "--track", srv.url, "--experiment", "logged-later", "--json"], { env: NO_MLFLOW_ENV });
    expect(logged.code, logged.stderr).toBe(0);
    const id = (JSON.parse(logged.stdout) as { mlflow: { runId: string } }).mlflow.runId;
    const got = read("logged-later");
    expect(got.runs.map((x) => [x.id, x.status])).toEqual([[id, "FINISHED"]]);
    expect(got.runs[0].metrics["test.rmse"]).toBe(JSON.parse(readFileSync(path.join(runDir, "metrics.json"), "utf8")).metrics.rmse);

    // One byte more in a model file: the size no longer matches the manifest, so the run is damaged.
    const part = readdirSync(path.join(runDir, "model", "stages"), { recursive: true })
      .map(String)
      .find((f) => f.endsWith(".parquet"))!;
    appendFileSync(path.join(runDir, "model", "stages", part), "x");
    const refused = await runCliAsync(["log", runDir, "--track", srv.url, "--experiment", "logged-later"], { env: NO_MLFLOW_ENV });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/damaged/);
    expect(refused.stderr).toContain(part.split("/").pop()!);
    expect(read("logged-later").runs).toHaveLength(1);
  }, 300_000);

  it("a deleted experiment is exit 2 before any work, naming the URI and the experiment, with no run directory", async () => {
    const made = await fetch(`${srv.url}/api/2.0/mlflow/experiments/create`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "gone" }),
    }).then((x) => x.json() as Promise<{ experiment_id: string }>);
    await fetch(`${srv.url}/api/2.0/mlflow/experiments/delete`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ experiment_id: made.experiment_id }),
    });
    const sub = mkdtempSync(path.join(dir, "gone-"));
    const file = pipelineYaml(sub);
    const r = await runCliAsync(["run", file, "--track", srv.url, "--experiment", "gone", "--quiet"], { env: NO_MLFLOW_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(srv.url);
    expect(r.stderr).toMatch(/experiment "gone" \(id \d+\) is deleted/);
    expect(readdirSync(sub).filter((f) => f === "runs")).toEqual([]);
  }, 120_000);
});
