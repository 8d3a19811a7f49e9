import { makeVector, Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import type { Evaluator, Model, Recommender } from "../../src/core/stage.js";
import { createRegistry } from "../../stages/index.js";
import { regressionMetric } from "../../src/kernels/regression-metrics.js";
import { mostPopular } from "../../stages/most-popular.js";
import { rankingEvaluator, relevantSets } from "../../stages/ranking-evaluator.js";
import { regressionEvaluator } from "../../stages/regression-evaluator.js";

const ctx = quietContext();
const f64 = (xs: number[]) => Float64Array.from(xs);

describe("regression metrics (Spark's RegressionMetrics)", () => {
  const y = f64([3, -0.5, 2, 7]);
  const p = f64([2.5, 0, 2, 8]);
  // e = 0.5, -0.5, 0, -1 ; SSerr = 1.5 ; mean y = 2.875 ; SStot = Σ(y-ȳ)² = 29.1875
  it("unweighted", () => {
    expect(regressionMetric("mse", y, p, undefined, false)).toBeCloseTo(1.5 / 4, 12);
    expect(regressionMetric("rmse", y, p, undefined, false)).toBeCloseTo(Math.sqrt(1.5 / 4), 12);
    expect(regressionMetric("mae", y, p, undefined, false)).toBeCloseTo(2 / 4, 12);
    expect(regressionMetric("r2", y, p, undefined, false)).toBeCloseTo(1 - 1.5 / 29.1875, 12);
    const ssReg = [2.5, 0, 2, 8].reduce((s, x) => s + (x - 2.875) ** 2, 0);
    expect(regressionMetric("var", y, p, undefined, false)).toBeCloseTo(ssReg / 4, 12);
    expect(regressionMetric("r2", y, p, undefined, true)).toBeCloseTo(1 - 1.5 / (9 + 0.25 + 4 + 49), 12);
  });

  it("weighted, with the summarizer's unbiased variance times (W - 1)", () => {
    const w = f64([1, 2, 0, 3]);
    const W = 6;
    const mse = (1 * 0.25 + 2 * 0.25 + 3 * 1) / W;
    expect(regressionMetric("mse", y, p, w, false)).toBeCloseTo(mse, 12);
    const ybar = (3 - 1 + 21) / W;
    const m2 = 1 * (3 - ybar) ** 2 + 2 * (-0.5 - ybar) ** 2 + 3 * (7 - ybar) ** 2;
    const variance = m2 / (W - (1 + 4 + 9) / W);
    expect(regressionMetric("r2", y, p, w, false)).toBeCloseTo(1 - (mse * W) / (variance * (W - 1)), 12);
  });

  it("a NaN prediction makes the metric NaN and warns about coldStartStrategy", async () => {
    const ev = buildStage(regressionEvaluator, { metricName: "mae" });
    const warnings: string[] = [];
    const t = new Table({ rating: makeVector(new Float32Array([1, 2])), prediction: makeVector(new Float32Array([1, NaN])) });
    expect(await ev.evaluate({ predictions: t }, quietContext({ warn: (m) => warnings.push(m) }))).toBeNaN();
    expect(warnings.join()).toMatch(/1 of 2 predictions are NaN.*coldStartStrategy: drop/);
  });

  it("stage facts: metricKey, isLargerBetter, rating as recpipe's labelCol, saved as set", () => {
    const r2 = buildStage(regressionEvaluator, { metricName: "r2" });
    expect([r2.metricKey, r2.isLargerBetter]).toEqual(["r2", true]);
    const rmse = buildStage(regressionEvaluator, {});
    expect([rmse.metricKey, rmse.isLargerBetter, rmse.params.labelCol]).toEqual(["rmse", false, "rating"]);
    const s = rmse.save();
    expect(s.className).toBe("org.apache.spark.ml.evaluation.RegressionEvaluator");
    expect(s.paramMap).toEqual({ labelCol: "rating" });
    expect(s.defaultParamMap).toEqual({ metricName: "rmse", predictionCol: "prediction", throughOrigin: false });
  });

  it("rejects a non-Float prediction and a missing label column", async () => {
    const ev = buildStage(regressionEvaluator, {});
    await expect(
      ev.evaluate({ predictions: new Table({ rating: makeVector(new Float32Array([1])), prediction: makeVector(new Int32Array([1])) }) }, ctx),
    ).rejects.toThrow(/must be Float or Double/);
    await expect(ev.evaluate({ predictions: new Table({ prediction: makeVector(new Float32Array([1])) }) }, ctx)).rejects.toThrow(/column "rating" not found/);
  });
});

describe("ranking-evaluator", () => {
  it("builds distinct sorted relevant sets per user", () => {
    const r = relevantSets(Int32Array.from([5, 2, 5, 5, 2]), Int32Array.from([9, 3, 1, 9, 3]));
    expect([...r.users]).toEqual([2, 5]);
    expect([...r.relPtr]).toEqual([0, 1, 3]);
    expect([...r.rel]).toEqual([3, 1, 9]);
  });

  it("scores a recommender's top-k against test items, excluding seen items", async () => {
    // Popularity in train: item 1 (3 rows) > item 2 (2) > item 3 (1) > item 4 (1; ties to the larger id: 4 before 3).
    const train = new Table({
      user: makeVector(Int32Array.from([0, 1, 2, 0, 1, 2, 0])),
      item: makeVector(Int32Array.from([1, 1, 1, 2, 2, 3, 4])),
    });
    const model = (await buildStage(mostPopular, {}).fit(train, ctx)) as Model & Recommender;
    // user 0 saw 1,2,4 -> recs [3]; user 1 saw 1,2 -> [4, 3]; user 2 saw 1,3 -> [2, 4]
    const test = new Table({ user: makeVector(Int32Array.from([0, 1, 1, 2, 7])), item: makeVector(Int32Array.from([3, 3, 3, 1, 2])) });
    const input = { predictions: test, testTransformed: test, trainTransformed: train, recommender: model };
    const prec = buildStage(rankingEvaluator, { metricName: "precisionAtK", k: 2 });
    expect(prec.metricKey).toBe("precisionAtK@2");
    // user 0: [3] hit -> 1/2; user 1: [4,3] hit at 2 -> 1/2; user 2: [2,4] vs {1} -> 0; user 7 unknown: [] -> 0
    expect(await prec.evaluate(input, ctx)).toBeCloseTo((0.5 + 0.5 + 0 + 0) / 4, 12);
    const mrr = buildStage(rankingEvaluator, { metricName: "mrrAtK", k: 2 });
    expect(await mrr.evaluate(input, ctx)).toBeCloseTo((1 + 0.5) / 4, 12);
    const map = buildStage(rankingEvaluator, {});
    expect(map.metricKey).toBe("meanAveragePrecision");
    expect(await map.evaluate(input, ctx)).toBeCloseTo((1 + 0.5) / 4, 12);
  });

  it("relevanceThreshold keeps only well-rated test items; users left with none are not queried", async () => {
    const train = new Table({ user: makeVector(Int32Array.from([0, 1])), item: makeVector(Int32Array.from([1, 2])) });
    const model = (await buildStage(mostPopular, {}).fit(train, ctx)) as Model & Recommender;
    const test = new Table({
      user: makeVector(Int32Array.from([0, 1])),
      item: makeVector(Int32Array.from([2, 1])),
      rating: makeVector(Float32Array.from([5, 1])),
    });
    const ev = buildStage(rankingEvaluator, { metricName: "hitRateAtK", k: 1, relevanceThreshold: 4 });
    expect(await ev.evaluate({ predictions: test, testTransformed: test, trainTransformed: train, recommender: model }, ctx)).toBe(1);
    expect(ev.save().extra).toEqual({ recpipeRelevanceThreshold: 4 });
  });

  it("saves Spark's five metrics under Spark's RankingEvaluator class, recpipe's own under a recpipe class; both load back", () => {
    const registry = createRegistry();
    const cases: [string, string][] = [
      ["meanAveragePrecision", "org.apache.spark.ml.evaluation.RankingEvaluator"],
      ["meanAveragePrecisionAtK", "org.apache.spark.ml.evaluation.RankingEvaluator"],
      ["precisionAtK", "org.apache.spark.ml.evaluation.RankingEvaluator"],
      ["ndcgAtK", "org.apache.spark.ml.evaluation.RankingEvaluator"],
      ["recallAtK", "org.apache.spark.ml.evaluation.RankingEvaluator"],
      ["hitRateAtK", "recpipe.evaluation.RankingEvaluator"],
      ["mrrAtK", "recpipe.evaluation.RankingEvaluator"],
    ];
    for (const [metricName, className] of cases) {
      const saved = buildStage(rankingEvaluator, { metricName, k: 3 }).save();
      expect(saved.className, metricName).toBe(className);
      const loaded = registry.loaderFor(className)!(saved, () => {
        throw new Error("no children");
      }) as Evaluator;
      expect(loaded.params, metricName).toMatchObject({ metricName, k: 3 });
    }
  });

  it("matches lists back by user id when the recommender leaves unknown users out (as ALS's subset does)", async () => {
    const train = new Table({ user: makeVector(Int32Array.from([0, 1, 1])), item: makeVector(Int32Array.from([1, 1, 2])) });
    const popular = (await buildStage(mostPopular, {}).fit(train, ctx)) as Model & Recommender;
    const knownOnly: Recommender = {
      userCol: "user",
      itemCol: "item",
      knownUsers: () => popular.knownUsers(),
      knownItems: () => popular.knownItems(),
      async recommendForUsers(users, k, c, exclude) {
        const known = Int32Array.from([...users].filter((u) => u <= 1));
        return popular.recommendForUsers(known, k, c, exclude);
      },
    };
    // Test users ascending: 0 (item 2: rec [2] is a hit), 5 (unknown: a miss), 1 (item 3: nothing left to recommend).
    const test = new Table({ user: makeVector(Int32Array.from([5, 0, 1])), item: makeVector(Int32Array.from([1, 2, 3])) });
    const hit = buildStage(rankingEvaluator, { metricName: "hitRateAtK", k: 1 });
    expect(await hit.evaluate({ predictions: test, testTransformed: test, trainTransformed: train, recommender: knownOnly }, ctx)).toBeCloseTo(1 / 3, 12);
  });

  it("needs a recommender", async () => {
    const ev = buildStage(rankingEvaluator, { metricName: "ndcgAtK" });
    await expect(ev.evaluate({ predictions: new Table() }, ctx)).rejects.toThrow(/ranking metric ndcgAtK needs a model that can rank/);
  });
});
