/**
 * Real Apache Spark loads an ALSModel directory whose factor Parquet files were written by parquet-wasm
 * (arrow-rs), reads the factors bit for bit, and scores exactly as plain numpy dot products do.
 * Needs the Spark venv (scripts/setup-spark-venv.sh); see spark-env.ts for when it skips.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededFactors, writeAlsModelDir, type AlsModelDirSpec } from "./als-model-dir.js";
import type { FactorMatrix } from "./als-factor-parquet.js";
import { runSparkScript } from "./run-spark-script.js";
import { sparkEnv } from "./spark-env.js";

interface Prediction {
  user: number;
  item: number;
  prediction: number | null;
}
interface Recommendation {
  user: number;
  recs: [number, number][];
}
interface SparkScore {
  sparkVersion: string;
  rank: number;
  predictions: Prediction[];
  recommendations: Recommendation[];
  factors: { user: Record<string, number[]>; item: Record<string, number[]> };
}
interface NumpyScore {
  predictions: Prediction[];
  recommendations: Recommendation[];
}

const env = sparkEnv();
const K = 3;
const rank = 6;
// Ids deliberately unsorted, with gaps, and split over several part files, as Spark's own writer leaves them.
const userFactors = seededFactors(11, [7, 0, 42, 3, 19, 5, 100, 2], rank);
const itemFactors = seededFactors(23, [13, 1, 8, 77, 4, 30, 9, 61, 2, 15], rank);
const coldUser = 9999;
const coldItem = 8888;

function asJson(m: FactorMatrix): Record<string, number[]> {
  return Object.fromEntries([...m.ids].map((id, r) => [String(id), [...m.values.subarray(r * m.rank, (r + 1) * m.rank)]]));
}

describe.skipIf(!env.available)("Spark ALSModel.load on parquet-wasm factors", () => {
  let dir: string;
  let spark: SparkScore;
  let numpy: NumpyScore;
  const pairs: [number, number][] = [];

  beforeAll(async () => {
    if (!env.available) return;
    dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-spark-parquet-"));
    const spec: AlsModelDirSpec = { uid: "als_0123456789ab", rank, userFactors, itemFactors, partsPerFolder: 3 };
    writeAlsModelDir(path.join(dir, "model"), spec);
    for (const u of userFactors.ids) for (const i of itemFactors.ids) pairs.push([u, i]);
    pairs.push([coldUser, itemFactors.ids[0]], [userFactors.ids[0], coldItem]);
    writeFileSync(path.join(dir, "pairs.json"), JSON.stringify(pairs));
    writeFileSync(path.join(dir, "factors.json"), JSON.stringify({ user: asJson(userFactors), item: asJson(itemFactors) }));
    const pairsArg = ["--pairs", path.join(dir, "pairs.json"), "--k", String(K)];
    [spark, numpy] = await Promise.all([
      runSparkScript<SparkScore>(env.python, "spark_load_and_score.py", [path.join(dir, "model"), ...pairsArg, "--dump-factors"]),
      runSparkScript<NumpyScore>(env.python, "numpy_predict.py", [path.join(dir, "factors.json"), ...pairsArg]),
    ]);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads every factor value bit for bit, with the rank from metadata", () => {
    expect(spark.rank).toBe(rank);
    expect(spark.factors.user).toEqual(asJson(userFactors));
    expect(spark.factors.item).toEqual(asJson(itemFactors));
  });

  it("transform agrees with numpy within 1e-5 and gives NaN (null) for cold ids", () => {
    expect(spark.predictions.map((p) => [p.user, p.item])).toEqual(pairs);
    spark.predictions.forEach((p, n) => {
      const expected = numpy.predictions[n].prediction;
      if (expected === null) expect(p.prediction).toBeNull();
      else expect(Math.abs((p.prediction as number) - expected)).toBeLessThan(1e-5);
    });
    expect(spark.predictions.filter((p) => p.prediction === null)).toHaveLength(2);
  });

  it("recommendForAllUsers picks numpy's top-k items in numpy's order", () => {
    expect(spark.recommendations.map((r) => r.user)).toEqual(numpy.recommendations.map((r) => r.user));
    spark.recommendations.forEach((r, n) => {
      const want = numpy.recommendations[n].recs;
      expect(r.recs.map(([item]) => item)).toEqual(want.map(([item]) => item));
      r.recs.forEach(([, score], j) => expect(Math.abs(score - want[j][1])).toBeLessThan(1e-5));
    });
  });
});
