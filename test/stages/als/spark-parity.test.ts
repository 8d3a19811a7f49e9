import { describe, expect, it } from "vitest";
import { predictPairs, recommendTopK } from "../../../stages/als/recommend.js";
import { trainAls } from "../../../stages/als/train.js";

/**
 * Parity with Apache Spark's own numbers: the doctest of pyspark.ml.recommendation.ALS (the README quotes these).
 * recpipe starts from Spark's exact initial factors (XORShiftRandom, 10 blocks) and, in f64 mode, accumulates the
 * normal equations in double as Spark's NormalEquation does, so it lands on Spark's predictions.
 */
describe("ALS agrees with Spark's published doctest values", () => {
  const ratings = {
    user: Int32Array.from([0, 0, 1, 1, 2, 2]),
    item: Int32Array.from([0, 1, 1, 2, 1, 2]),
    rating: Float32Array.from([4.0, 2.0, 3.0, 4.0, 1.0, 5.0]),
  };
  const params = { rank: 10, maxIter: 5, regParam: 0.1, alpha: 1, implicitPrefs: false, nonnegative: false, seed: 0, solver: "cholesky" as const };

  for (const precision of ["f64", "f32"] as const) {
    it(`${precision}: transform and recommendForAllUsers/Items match ALS(rank=10, seed=0, maxIter=5)`, async () => {
      const f = await trainAls(ratings, params, { workers: 1, precision });
      const users = { ids: f.userIds, factors: f.userFactors, rank: 10 };
      const items = { ids: f.itemIds, factors: f.itemFactors, rank: 10 };
      // The tolerances and values the README states: 1e-7 in f64 (predictions are float32, as Spark's), 3e-6 in f32.
      const tol = precision === "f64" ? 1e-7 : 3e-6;
      const pred = predictPairs(users, items, Int32Array.from([0, 1, 2]), Int32Array.from([2, 0, 0]));
      expect(Math.abs(pred[0] - 0.6929101)).toBeLessThan(tol);
      expect(Math.abs(pred[1] - 3.4735689)).toBeLessThan(tol);
      expect(Math.abs(pred[2] - -0.8991985)).toBeLessThan(tol);
      const forUsers = await recommendTopK(users, items, 3, { workers: 1 });
      expect([...forUsers.ids.subarray(0, 3)]).toEqual([0, 1, 2]);
      const s = forUsers.scores;
      expect([Math.abs(s[0] - 3.91), Math.abs(s[1] - 1.997), Math.abs(s[2] - 0.692)].every((d) => d < 1e-3)).toBe(true);
      const forItems = await recommendTopK(items, users, 3, { workers: 1 });
      expect([...forItems.ids.subarray(6, 9)]).toEqual([2, 1, 0]);
      const t = forItems.scores;
      expect([Math.abs(t[6] - 4.892), Math.abs(t[7] - 3.991), Math.abs(t[8] - 0.692)].every((d) => d < 1e-3)).toBe(true);
    });
  }
});
