/**
 * Spark -> recpipe: real Spark fits an ALSModel and a PipelineModel (StringIndexer userId, StringIndexer itemId, ALS)
 * in local mode (spark_fit_als.py, one JVM); recpipe's loadModel reads both and must predict and recommend what
 * Spark did, within 1e-5.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import { loadModel, type LoadedModel } from "../../src/model/load-model.js";
import { recommendFromModel } from "../../src/model/recommend-from-model.js";
import { runSparkScript } from "./run-spark-script.js";
import { sparkEnv } from "./spark-env.js";

interface Prediction {
  user: number | string;
  item: number | string;
  prediction: number | null;
}
interface Recs {
  user: number;
  userLabel?: string;
  itemLabels?: string[];
  recs: [number, number][];
}
interface SparkFit {
  sparkVersion: string;
  modelDir: string;
  pipelineDir: string;
  pairs: [number, number][];
  predictions: Prediction[];
  pipelinePredictions: Prediction[];
  recommendations: Recs[];
  pipelineRecommendations: Recs[];
}

const env = sparkEnv();
const K = 5;
const TOL = 1e-5;
const USERS = 30;
const ITEMS = 40;

/** Every user with every 3rd item, plus ids one past the data's range (cold start) on each side. */
function pairsToScore(): [number, number][] {
  const out: [number, number][] = [];
  for (let u = 0; u <= USERS; u += 1) for (let i = u % 3; i <= ITEMS; i += 3) out.push([u, i]);
  return out;
}

function column(t: Table, name: string): unknown[] {
  return [...t.getChild(name)!.toArray()];
}

function expectPredictionsMatch(spark: Prediction[], pred: unknown[]): void {
  expect(pred).toHaveLength(spark.length);
  let cold = 0;
  spark.forEach((p, n) => {
    const ours = pred[n] as number;
    if (p.prediction === null) {
      cold++;
      expect(Number.isNaN(ours), `pair ${p.user},${p.item}: Spark NaN, recpipe ${ours}`).toBe(true);
    } else expect(Math.abs(ours - p.prediction), `pair ${p.user},${p.item}`).toBeLessThan(TOL);
  });
  expect(cold).toBeGreaterThan(0);
}

describe.skipIf(!env.available)("recpipe loads and scores models that Spark fitted", () => {
  let dir: string;
  let spark: SparkFit;
  let als: LoadedModel;
  let pipeline: LoadedModel;

  beforeAll(async () => {
    if (!env.available) return;
    dir = mkdtempSync(path.join(os.tmpdir(), "spark-to-recpipe-"));
    writeFileSync(path.join(dir, "pairs.json"), JSON.stringify(pairsToScore()));
    spark = await runSparkScript<SparkFit>(env.python, "spark_fit_als.py", [
      path.join(dir, "fit"),
      "--users",
      String(USERS),
      "--items",
      String(ITEMS),
      "--rank",
      "4",
      "--max-iter",
      "6",
      "--pairs",
      path.join(dir, "pairs.json"),
      "--k",
      String(K),
    ]);
    als = await loadModel(spark.modelDir);
    pipeline = await loadModel(spark.pipelineDir);
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads Spark's ALSModel and PipelineModel(StringIndexer, StringIndexer, ALS)", () => {
    expect(als.saved.className).toBe("org.apache.spark.ml.recommendation.ALSModel");
    expect(als.saved.sparkVersion).toBe(spark.sparkVersion);
    expect(pipeline.saved.className).toBe("org.apache.spark.ml.PipelineModel");
    expect(pipeline.model.stages.map((s) => s.type)).toEqual(["string-indexer", "string-indexer", "als"]);
  });

  it("ALSModel: recpipe's predictions equal Spark's within 1e-5, NaN where Spark gives NaN", async () => {
    const pairs = spark.pairs;
    const t = new Table({ user: makeVector(Int32Array.from(pairs.map((p) => p[0]))), item: makeVector(Int32Array.from(pairs.map((p) => p[1]))) });
    const out = await als.model.transform(t, quietContext({ workers: 2 }));
    expect(column(out, "user")).toEqual(pairs.map((p) => p[0]));
    expectPredictionsMatch(spark.predictions, column(out, "prediction"));
  });

  it("ALSModel: recpipe's recommendForAllUsers(k) equals Spark's, items in the same order", async () => {
    const ours = await recommendFromModel(als, { users: "all", k: K }, quietContext({ workers: 2 }));
    expect(ours.users.map((u) => u.user)).toEqual(spark.recommendations.map((r) => r.user));
    spark.recommendations.forEach((r, n) => {
      expect(
        ours.users[n].items.map((x) => x.item),
        `user ${r.user}`,
      ).toEqual(r.recs.map(([item]) => item));
      r.recs.forEach(([, score], j) => expect(Math.abs(ours.users[n].items[j].rating - score)).toBeLessThan(TOL));
    });
  });

  it("PipelineModel: recpipe indexes the string ids as Spark's indexers did and predicts the same", async () => {
    const pairs = spark.pairs;
    const t = new Table({
      userId: vectorFromArray(
        pairs.map((p) => `u${p[0]}`),
        new Utf8(),
      ),
      itemId: vectorFromArray(
        pairs.map((p) => `i${p[1]}`),
        new Utf8(),
      ),
    });
    const out = await pipeline.model.transform(t, quietContext({ workers: 2 }));
    expect(column(out, "userId")).toEqual(spark.pipelinePredictions.map((p) => p.user));
    expectPredictionsMatch(spark.pipelinePredictions, column(out, "prediction"));
  });

  it("PipelineModel: recpipe's top-k, in the data's own string ids, equals Spark's", async () => {
    const ours = await recommendFromModel(pipeline, { users: "all", k: K }, quietContext({ workers: 2 }));
    const byUser = new Map(ours.users.map((u) => [u.user, u.items]));
    expect(byUser.size).toBe(spark.pipelineRecommendations.length);
    for (const r of spark.pipelineRecommendations) {
      const mine = byUser.get(r.userLabel!);
      expect(mine, `user ${r.userLabel}`).toBeDefined();
      expect(mine!.map((x) => x.item)).toEqual(r.itemLabels);
      r.recs.forEach(([, score], j) => expect(Math.abs(mine![j].rating - score)).toBeLessThan(TOL));
    }
  });

  it("a single user's recommendations through the CLI path's recommendFromModel match Spark's row", async () => {
    const target = spark.pipelineRecommendations[3];
    const ours = await recommendFromModel(pipeline, { users: [target.userLabel!], k: K }, quietContext({ workers: 1 }));
    expect(ours.users).toHaveLength(1);
    expect(ours.users[0].items.map((x) => x.item)).toEqual(target.itemLabels);
  });
});
