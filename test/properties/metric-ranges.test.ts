import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rankingMetric, type RankingMetricName } from "../../src/kernels/ranking-metrics.js";
import { regressionMetric } from "../../src/kernels/regression-metrics.js";

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });

describe("regression metrics stay in range", () => {
  it("rmse, mse, mae >= 0 and r2 <= 1 for any labels and predictions", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(finite, finite), { minLength: 2, maxLength: 100 }), (pairs) => {
        const y = Float64Array.from(pairs, (p) => p[0]);
        const yhat = Float64Array.from(pairs, (p) => p[1]);
        for (const m of ["rmse", "mse", "mae"] as const) expect(regressionMetric(m, y, yhat, undefined, false)).toBeGreaterThanOrEqual(0);
        const r2 = regressionMetric("r2", y, yhat, undefined, false);
        // Constant labels make SStot 0: r2 is then -Infinity, NaN or 1, never above 1.
        if (!Number.isNaN(r2)) expect(r2).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});

const names: RankingMetricName[] = ["meanAveragePrecision", "meanAveragePrecisionAtK", "precisionAtK", "ndcgAtK", "recallAtK", "hitRateAtK", "mrrAtK"];

/**
 * Queries in CSR form: predicted lists and distinct sorted relevant sets. Predicted lists hold distinct items, as a
 * recommender's top-k does: Spark's formulas do not remove duplicates, so a list repeating a relevant item scores
 * above 1 in Spark too (e.g. AP([30, 30], {30}) = 2); the range property holds for real top-k lists only.
 */
const queriesArb = fc
  .array(fc.tuple(fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 15 }), fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 10 })), {
    minLength: 1,
    maxLength: 20,
  })
  .map((qs) => {
    const predPtr = [0];
    const relPtr = [0];
    const pred: number[] = [];
    const rel: number[] = [];
    for (const [p, r] of qs) {
      pred.push(...p);
      predPtr.push(pred.length);
      rel.push(...[...r].sort((a, b) => a - b));
      relPtr.push(rel.length);
    }
    return { predPtr: Int32Array.from(predPtr), pred: Int32Array.from(pred), relPtr: Int32Array.from(relPtr), rel: Int32Array.from(rel) };
  });

describe("ranking metrics stay in [0, 1]", () => {
  it.each(names)("%s", (name) => {
    fc.assert(
      fc.property(queriesArb, fc.integer({ min: 1, max: 20 }), (q, k) => {
        const v = rankingMetric(name, q, k);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { numRuns: 200 },
    );
  });
});
