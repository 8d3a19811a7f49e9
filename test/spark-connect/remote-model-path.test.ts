/**
 * `--remote-model-path` on the real Spark 4.0.x server: the fitted pipeline lands at the path, written by Spark's own
 * writers (stages/ and the PipelineModel metadata); Spark 4.0's PipelineModel.load reads it; and the run's
 * fetched-back model/ (written by recpipe), loaded by the same Spark, predicts the same within 1e-5.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../cli/run-cli.js";
import { runSparkScript } from "../interop/run-spark-script.js";
import { sparkEnv } from "../interop/spark-env.js";
import { serverInfo, waitForServer } from "./spark-server.js";

const PIPELINE = `name: saved-on-cluster
seed: 3
source: {path: ratings.csv, format: csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: skip}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 3, maxIter: 4, regParam: 0.1, coldStartStrategy: drop}
output: {dir: runs}
`;

type Score = { kind: string; predictions: { user: string; item: string; prediction: number | null }[] };

let dir: string;
const pairs: [string, string][] = [];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-remote-model-path-"));
  const rows = ["user,item,rating"];
  for (let u = 0; u < 60; u++) for (let i = 0; i < 25; i++) if ((u * 7 + i * 3) % 4 !== 0) rows.push(`u${u},i${i},${1 + ((u * i + u) % 5)}`);
  writeFileSync(path.join(dir, "ratings.csv"), rows.join("\n") + "\n");
  writeFileSync(path.join(dir, "pipeline.yaml"), PIPELINE);
  for (let n = 0; n < 40; n++) pairs.push([`u${(n * 13) % 60}`, `i${(n * 7) % 25}`]);
  writeFileSync(path.join(dir, "pairs.json"), JSON.stringify(pairs));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--remote-model-path on a real server", () => {
  const info = serverInfo("4.0");
  const spark = sparkEnv("4.0");
  it.runIf(!("missing" in info) && spark.available)(
    "Spark writes the model there, PipelineModel.load reads it, and the fetched-back model/ predicts the same",
    async () => {
      const server = await waitForServer(info);
      // The test server runs on this machine, so a local absolute path is on the cluster's file system.
      const onCluster = path.join(dir, "cluster-model");
      const r = await runCliAsync(["run", "pipeline.yaml", "--remote", server.url, "--remote-model-path", onCluster, "--json", "--quiet"], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const runDir = (JSON.parse(r.stdout) as { runDir: string }).runDir;

      // Spark's own layout, written by Spark (its writers leave _SUCCESS markers; recpipe's writer is not involved).
      expect(readdirSync(onCluster).sort()).toEqual(["metadata", "stages"]);
      const stages = readdirSync(path.join(onCluster, "stages")).sort();
      expect(stages).toHaveLength(2);
      expect(stages[0]).toMatch(/^0_strIdx_/);
      expect(stages[1]).toMatch(/^1_als_/);
      expect(existsSync(path.join(onCluster, "stages", stages[1], "userFactors", "_SUCCESS"))).toBe(true);
      const meta = readdirSync(path.join(onCluster, "metadata")).find((f) => f.startsWith("part-"))!;
      expect(JSON.parse(readFileSync(path.join(onCluster, "metadata", meta), "utf8").trim())).toMatchObject({
        class: "org.apache.spark.ml.PipelineModel",
        paramMap: { stageUids: stages.map((s) => s.replace(/^\d+_/, "")) },
      });

      if (!spark.available) return;
      const pairsArg = ["--pairs", path.join(dir, "pairs.json"), "--kind", "pipeline"];
      const fromCluster = await runSparkScript<Score>(spark.python, "spark_load_and_score.py", [onCluster, ...pairsArg]);
      const fetched = await runSparkScript<Score>(spark.python, "spark_load_and_score.py", [path.join(runDir, "model"), ...pairsArg]);
      expect(fromCluster.predictions).toHaveLength(pairs.length);
      expect(fetched.predictions.map((p) => [p.user, p.item])).toEqual(fromCluster.predictions.map((p) => [p.user, p.item]));
      let worst = 0;
      for (const [i, p] of fromCluster.predictions.entries()) {
        expect(p.prediction, `${p.user} ${p.item}`).not.toBeNull();
        worst = Math.max(worst, Math.abs(p.prediction! - fetched.predictions[i].prediction!));
      }
      expect(worst).toBeLessThanOrEqual(1e-5);
    },
    600_000,
  );
});
