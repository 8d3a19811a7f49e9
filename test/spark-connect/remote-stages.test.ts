/**
 * Stages the engines-agree files do not use, on the real Spark 4.0.x server: train-validation-split (the split of the
 * training rows on the cluster, the grid loop on the client, the winner refitted) and index-to-string with
 * `labelsFrom` (the indexer's labels fetched from the cluster, then Spark's IndexToString).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietContext, silentProgress } from "../../src/core/run-context.js";
import { buildPipelineStages } from "../../src/spec/build-stages.js";
import { loadModel } from "../../src/model/load-model.js";
import { loadPipelineFile } from "../../src/spec/load-pipeline-file.js";
import { run } from "../../src/run/run.js";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { fetchPipelineModel } from "../../src/engines/spark-connect/fetch-model.js";
import { SparkMl } from "../../src/engines/spark-connect/transport/ml.js";
import { sample, sql } from "../../src/engines/spark-connect/transport/plan.js";
import { remoteSource } from "../../src/engines/spark-connect/remote-data.js";
import { fitRemote } from "../../src/engines/spark-connect/remote-pipeline.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import { serverInfo, waitForServer } from "./spark-server.js";

let dir: string;

/** Ratings from 4 latent tastes plus noise, string ids: a small regParam fits them, a huge one flattens everything. */
function writeRatings(file: string): void {
  const rows = ["user,item,rating"];
  for (let u = 0; u < 150; u++)
    for (let i = 0; i < 80; i++) {
      if ((u * 31 + i * 17) % 3 === 0) continue;
      const taste = (u % 4 === i % 4 ? 2 : 0) + ((u + i) % 2);
      rows.push(`u${u},m${i},${1 + taste + (((u * 7 + i * 13) % 5) - 2) * 0.1}`);
    }
  writeFileSync(file, rows.join("\n") + "\n");
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-remote-stages-"));
  writeRatings(path.join(dir, "ratings.csv"));
  writeFileSync(
    path.join(dir, "tvs.yaml"),
    `name: tvs
seed: 3
source: {path: ratings.csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex]}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 4, maxIter: 4, coldStartStrategy: drop}
evaluate:
  - {type: regression-evaluator, metricName: rmse}
tune:
  type: train-validation-split
  trainRatio: 0.75
  paramGrid: {als.regParam: [0.05, 50]}
  evaluator: {type: regression-evaluator, metricName: rmse}
output: {dir: runs}
`,
  );
  writeFileSync(
    path.join(dir, "labels.yaml"),
    `name: labels
seed: 3
source: {path: ratings.csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, name: users, inputCol: user, outputCol: userIndex}
  - {type: string-indexer, name: items, inputCol: item, outputCol: itemIndex}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 4, maxIter: 3, coldStartStrategy: drop}
  - {type: index-to-string, inputCol: itemIndex, outputCol: itemLabel, labelsFrom: items}
evaluate:
  - {type: regression-evaluator, metricName: rmse}
output: {dir: runs}
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Spark 4.0: train-validation-split and index-to-string", () => {
  const info = serverInfo("4.0");

  it.runIf(!("missing" in info))(
    "train-validation-split: one validation split, both param maps scored, the same winner as locally, refitted",
    async () => {
      const server = await waitForServer(info);
      const file = path.join(dir, "tvs.yaml");
      const [l, r] = await Promise.all([
        run(file, { outDir: path.join(dir, "local"), workers: 1 }),
        run(file, { outDir: path.join(dir, "remote"), remote: server.url }),
      ]);
      expect(r.tune).toMatchObject({ type: "train-validation-split", folds: 1, paramMaps: 2, failedTrials: 0 });
      expect(r.tune!.avgMetrics.every(Number.isFinite)).toBe(true);
      // regParam 50 flattens every factor to about zero: far worse on any validation split, on either engine.
      expect(r.tune!.avgMetrics[1] - r.tune!.avgMetrics[0]).toBeGreaterThan(0.5);
      expect(r.tune!.best).toEqual(l.tune!.best);
      expect(r.tune!.best).toEqual({ "als.regParam": 0.05 });
      expect(r.tune!.bestMetric).toBe(Math.min(...r.tune!.avgMetrics));
      // The refit on all of train is what the test split scores, and what the fetched model/ holds.
      expect(Number.isFinite(r.metrics.rmse)).toBe(true);
      const meta = JSON.parse(readFileSync(path.join(r.runDir, "model", "metadata", "part-00000"), "utf8"));
      expect(meta.class).toBe("org.apache.spark.ml.tuning.TrainValidationSplitModel");
      expect(meta.paramMap.trainRatio).toBe(0.75);
      const loaded = await loadModel(path.join(r.runDir, "model"));
      expect(loaded.model.recommender()).toBeDefined();
    },
    600_000,
  );

  it.runIf(!("missing" in info))(
    "index-to-string with labelsFrom: Spark's IndexToString gives back every item id, and so does the fetched model",
    async () => {
      const server = await waitForServer(info);
      const loaded = await loadPipelineFile(path.join(dir, "labels.yaml"));
      const { spec, registry } = loaded;
      const client = await SparkConnectClient.connect(parseRemoteUrl(server.url, {}), "recpipe-test");
      const ml = new SparkMl(client);
      try {
        const data = await remoteSource(ml, spec.source, loaded.baseDir, spec.seed, silentProgress);
        const train = sample(data.relation, 0, 0.8, 11);
        const test = sample(data.relation, 0.8, 1, 11);
        const remote = await fitRemote(ml, registry, buildPipelineStages(registry, spec.pipeline, spec.seed), train, spec.seed, "");
        const spark = await ml.collect(sql("SELECT user, item, itemLabel FROM {p}", { p: remote.transform(test) }), "Spark's labels");
        expect(spark.numRows).toBeGreaterThan(1000);
        const items = spark.getChild("item")!.toArray() as string[];
        expect(spark.getChild("itemLabel")!.toArray()).toEqual(items);
        // The fetched-back model (labels resolved from the cluster's indexer) maps the same rows the same way.
        const testRows = await ml.collect(test, "test rows");
        const ours = await (await fetchPipelineModel(remote, registry, "labels_test")).transform(testRows, quietContext());
        expect(ours.numRows).toBe(spark.numRows);
        for (let i = 0; i < ours.numRows; i++) expect(String(ours.getChild("itemLabel")!.get(i))).toBe(String(ours.getChild("item")!.get(i)));
        await remote.release();
        expect(ml.liveModels).toBe(0);
      } finally {
        await ml.releaseAll();
        await client.releaseSession();
        client.close();
      }
      // The whole file through the remote engine: a run directory whose model/ recpipe loads.
      const r = await run(path.join(dir, "labels.yaml"), { outDir: path.join(dir, "remote"), remote: server.url });
      expect(Number.isFinite(r.metrics.rmse)).toBe(true);
      expect((await loadModel(path.join(r.runDir, "model"))).model.recommender()).toBeDefined();
    },
    600_000,
  );
});
