/**
 * The same pipeline files on both engines against a real Spark Connect server (4.0.x and the newest 4.x): local
 * recpipe and `--remote` give metrics within 0.01 (the random splits differ: Spark samples its own way), the same
 * run-directory layout, a manifest naming the engine, and a model/ that recpipe loads and recommends from.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/model/load-model.js";
import { run, type RunResult } from "../../src/run/run.js";
import { SPARK_LINES } from "./spark-servers.global.js";
import { serverInfo, waitForServer } from "./spark-server.js";
import { haveMl100k, ml100k, repoRoot } from "./shared-data.js";

const out = mkdtempSync(path.join(os.tmpdir(), "recpipe-engines-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const cases = [
  { file: "quickstart.yaml", set: [] as string[] },
  { file: "movielens-100k.yaml", set: [`source.path=${JSON.stringify(ml100k)}`] },
  // Two folds, two param maps and five sweeps keep the remote search (4 trials, then the refit) affordable in CI.
  {
    file: "movielens-100k-cv.yaml",
    set: [`source.path=${JSON.stringify(ml100k)}`, "tune.numFolds=2", "pipeline.als.maxIter=5", "tune.paramGrid={als.rank: [8], als.regParam: [0.05, 0.2]}"],
  },
];

const local = new Map<string, Promise<RunResult>>();
function runLocal(file: string, set: string[]): Promise<RunResult> {
  if (!local.has(file)) local.set(file, run(path.join(repoRoot, "pipelines", file), { set, outDir: path.join(out, "local"), workers: 1 }));
  return local.get(file)!;
}

describe.each(SPARK_LINES)("Spark %s: pipeline files agree across engines", (line) => {
  const info = serverInfo(line);
  const enabled = !("missing" in info) && haveMl100k();

  it.runIf(enabled).each(cases)(
    "$file",
    async ({ file, set }) => {
      const server = await waitForServer(info);
      const [l, r] = await Promise.all([
        runLocal(file, set),
        run(path.join(repoRoot, "pipelines", file), { set, outDir: path.join(out, `remote-${line}`), remote: server.url }),
      ]);
      expect(Object.keys(r.metrics).sort()).toEqual(Object.keys(l.metrics).sort());
      for (const [k, v] of Object.entries(l.metrics)) {
        expect(Number.isFinite(r.metrics[k]), `${k} on Spark`).toBe(true);
        expect(Math.abs(r.metrics[k] - v), `${k}: local ${v}, Spark ${r.metrics[k]}`).toBeLessThanOrEqual(0.01);
      }
      // The train metrics (one Spark job with the test metrics on --remote) name the same metrics and agree as closely.
      expect(Object.keys(r.trainMetrics).sort()).toEqual(Object.keys(l.trainMetrics).sort());
      for (const [k, v] of Object.entries(l.trainMetrics))
        expect(Math.abs(r.trainMetrics[k] - v), `train ${k}: local ${v}, Spark ${r.trainMetrics[k]}`).toBeLessThanOrEqual(0.01);
      // Same layout as a local run (the remote run has no training-loss history, which only the report shows).
      expect(readdirSync(r.runDir).sort()).toEqual(readdirSync(l.runDir).sort());
      const manifest = JSON.parse(readFileSync(path.join(r.runDir, "manifest.json"), "utf8"));
      expect(manifest).toMatchObject({ engine: "spark-connect", remote: server.url });
      expect(manifest.sparkVersion).toMatch(new RegExp(`^${line.replace(".", "\\.")}\\.`));
      expect(JSON.parse(readFileSync(path.join(l.runDir, "manifest.json"), "utf8")).engine).toBe("local");
      if (l.tune) {
        expect(r.tune?.paramMaps).toBe(l.tune.paramMaps);
        expect(r.tune?.folds).toBe(l.tune.folds);
        expect(Math.abs(r.tune!.bestMetric - l.tune.bestMetric)).toBeLessThanOrEqual(0.01);
      }
      // report.html shows five users' lists on both engines (on --remote without a recommend block, their training
      // items are fetched beside the test metrics).
      for (const dir of [l.runDir, r.runDir]) {
        const html = readFileSync(path.join(dir, "report.html"), "utf8");
        expect(html, dir).toMatch(/<section id="recommendations"><h2>Recommendations<\/h2><h3>5 of /);
        expect(html.split('<ol class="recs">').length - 1, dir).toBe(5);
      }
      // The model fetched back loads and recommends locally.
      const loaded = await loadModel(path.join(r.runDir, "model"));
      expect(loaded.model.recommender()).toBeDefined();
      expect(existsSync(path.join(r.runDir, "recommendations.parquet"))).toBe(existsSync(path.join(l.runDir, "recommendations.parquet")));
    },
    900_000,
  );
});
