/** When recpipe warns about Spark's ALS without a checkpoint directory on the server (checkpoint-advice.ts). */
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPipelineStages } from "../../src/spec/build-stages.js";
import { loadPipelineFile } from "../../src/spec/load-pipeline-file.js";
import { checkpointAdvice } from "../../src/engines/spark-connect/checkpoint-advice.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-ckpt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function advice(als: string, tune = "", checkpointDir?: string) {
  const file = path.join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `name: p\nseed: 1\nsource: {type: synthetic-ratings, users: 10, items: 10, rank: 2, density: 0.5}\nsplit: {type: random-split, weights: [0.8, 0.2]}\npipeline:\n  - {type: als, ${als}}\n${tune}`,
  );
  const loaded = await loadPipelineFile(file);
  return checkpointAdvice(buildPipelineStages(loaded.registry, loaded.spec.pipeline, loaded.spec.seed), loaded.spec, checkpointDir);
}

describe("ALS checkpoint advice", () => {
  it("warns when maxIter is past checkpointInterval and the server has no spark.checkpoint.dir, naming both", async () => {
    const a = await advice("maxIter: 40");
    expect(a).toMatch(/^als \(als\): maxIter 40 is past checkpointInterval 10, and the server has no checkpoint directory \(spark\.checkpoint\.dir is unset\)/);
    expect(a).toMatch(/--conf spark\.checkpoint\.dir=DIR/);
    expect(a).toMatch(/setCheckpointDir/);
    // A grid value counts too.
    expect(
      await advice(
        "maxIter: 5",
        "tune:\n  type: cross-validator\n  numFolds: 2\n  evaluator: {type: regression-evaluator, metricName: rmse}\n  paramGrid: {als.maxIter: [5, 30]}\n",
      ),
    ).toMatch(/maxIter 30 is past checkpointInterval 10/);
    expect(await advice("maxIter: 25, checkpointInterval: 5")).toMatch(/maxIter 25 is past checkpointInterval 5/);
  });

  it("says nothing when the server has a checkpoint directory, or the fit stays within one interval", async () => {
    expect(await advice("maxIter: 40", "", "hdfs:///tmp/ckpt")).toBeUndefined();
    expect(await advice("maxIter: 10")).toBeUndefined();
    expect(await advice("maxIter: 40, checkpointInterval: 50")).toBeUndefined();
  });
});
