import { makeVector, Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import type { Evaluator, RecommendationLists, Recommender } from "../../src/core/stage.js";
import { sumPercentileRanks } from "../../src/kernels/expected-percentile-rank.js";
import { createRegistry } from "../../stages/index.js";
import { RECPIPE_RANKING_EVALUATOR_CLASS, rankingEvaluator } from "../../stages/ranking-evaluator.js";

const ctx = quietContext();

/**
 * A recommender with fixed scores per (user, item), ranking like the top-k kernel (score descending, ties to the
 * larger id), excluding seen pairs and leaving out users it does not know.
 */
function fixedScores(scores: Record<number, number[]>): Recommender {
  const nItems = Object.values(scores)[0].length;
  return {
    userCol: "user",
    itemCol: "item",
    knownUsers: () => Int32Array.from(Object.keys(scores).map(Number)),
    knownItems: () => Int32Array.from({ length: nItems }, (_, i) => i),
    async recommendForUsers(users, k, _c, exclude): Promise<RecommendationLists> {
      const known = [...users].filter((u) => u in scores);
      const out: RecommendationLists = {
        users: Int32Array.from(known),
        items: new Int32Array(known.length * k).fill(-1),
        scores: new Float32Array(known.length * k).fill(NaN),
        counts: new Int32Array(known.length),
        k,
      };
      known.forEach((u, q) => {
        const seen = new Set<number>();
        exclude?.users.forEach((eu, j) => eu === u && seen.add(exclude.items[j]));
        const list = scores[u]
          .map((s, i) => [i, s] as const)
          .filter(([i]) => !seen.has(i))
          .sort((a, b) => b[1] - a[1] || b[0] - a[0])
          .slice(0, k);
        list.forEach(([i, s], j) => {
          out.items[q * k + j] = i;
          out.scores[q * k + j] = s;
        });
        out.counts[q] = list.length;
      });
      return out;
    },
  };
}

const table = (users: number[], items: number[], ratings?: number[]) =>
  new Table({
    user: makeVector(Int32Array.from(users)),
    item: makeVector(Int32Array.from(items)),
    ...(ratings ? { rating: makeVector(Float32Array.from(ratings)) } : {}),
  });

describe("ranking-evaluator expectedPercentileRank", () => {
  // User 1 ranks items 0..4 as 0 (0.9), then 2 and 1 tied (0.5), 3 (0.1), 4 (0.0): PERCENT_RANK 0, 1/4, 1/4, 3/4, 1.
  // User 2 rated item 0 in training (excluded) and scores the other four alike: all tied at the top, percentile 0.
  // User 3 is unknown to the model: its test item sits at the bottom, 1.
  const rec = fixedScores({ 1: [0.9, 0.5, 0.5, 0.1, 0.0], 2: [0.3, 0.3, 0.3, 0.3, 0.3] });
  const train = table([2], [0]);
  const test = table([1, 1, 2, 3], [1, 3, 2, 1], [2, 1, 4, 1]);

  it("is sum(r * rank) / sum(r) with PERCENT_RANK ties (hand-computed)", async () => {
    const ev = buildStage(rankingEvaluator, { metricName: "expectedPercentileRank" }) as Evaluator;
    const got = await ev.evaluate({ predictions: test, recommender: rec, trainTransformed: train, testTransformed: test }, ctx);
    // (2 * 1/4 + 1 * 3/4 + 4 * 0 + 1 * 1) / (2 + 1 + 4 + 1)
    expect(got).toBeCloseTo(2.25 / 8, 12);
  });

  it("counts training items in the list when there are no training rows to exclude", async () => {
    const ev = buildStage(rankingEvaluator, { metricName: "expectedPercentileRank" }) as Evaluator;
    const got = await ev.evaluate({ predictions: test, recommender: rec, testTransformed: test }, ctx);
    // User 2's list now has all five items, still all tied: percentile 0. Nothing else changes.
    expect(got).toBeCloseTo(2.25 / 8, 12);
    const only1 = table([1], [4], [3]);
    expect(await ev.evaluate({ predictions: only1, recommender: rec, testTransformed: only1 }, ctx)).toBe(1);
  });

  it("weights only pairs at or above relevanceThreshold", async () => {
    const ev = buildStage(rankingEvaluator, { metricName: "expectedPercentileRank", relevanceThreshold: 2 }) as Evaluator;
    const got = await ev.evaluate({ predictions: test, recommender: rec, trainTransformed: train, testTransformed: test }, ctx);
    expect(got).toBeCloseTo((2 * 0.25 + 4 * 0) / 6, 12);
  });

  it("is lower-is-better, keyed without @k, saved under recpipe's class, and reloads", () => {
    const ev = buildStage(rankingEvaluator, { metricName: "expectedPercentileRank" }) as Evaluator;
    expect(ev.isLargerBetter).toBe(false);
    expect(ev.metricKey).toBe("expectedPercentileRank");
    const saved = ev.save();
    expect(saved.className).toBe(RECPIPE_RANKING_EVALUATOR_CLASS);
    const loaded = createRegistry().loaderFor(saved.className)!(saved, () => {
      throw new Error("no children");
    }) as Evaluator;
    expect(loaded.isLargerBetter).toBe(false);
  });

  it("refuses negative weights, naming the column", async () => {
    const ev = buildStage(rankingEvaluator, { metricName: "expectedPercentileRank" }) as Evaluator;
    const bad = table([1], [1], [-1]);
    await expect(ev.evaluate({ predictions: bad, recommender: rec, testTransformed: bad }, ctx)).rejects.toThrow(/rating; expected values >= 0, found -1/);
  });
});

describe("sumPercentileRanks (the kernel)", () => {
  it("shares a rank across a run of ties and counts duplicate test pairs each time", () => {
    // One list of 4: scores 5, 3, 3, 3 -> percentiles 0, 1/3, 1/3, 1/3. Test items 7 (twice) and 9.
    const lists = { items: Int32Array.from([1, 7, 9, 4]), scores: Float32Array.from([5, 3, 3, 3]), counts: Int32Array.from([4]), k: 4 };
    const test = { ptr: Int32Array.from([0, 3]), items: Int32Array.from([7, 7, 9]), weights: Float64Array.from([1, 2, 3]) };
    expect(sumPercentileRanks(lists, test, 0, 1, Int32Array.from([0]))).toBeCloseTo((1 + 2 + 3) / 3, 12);
    // A list of one item puts it at 0; no list at all puts every test item at the bottom.
    const one = { items: Int32Array.from([7]), scores: Float32Array.from([1]), counts: Int32Array.from([1]), k: 1 };
    const t1 = { ptr: Int32Array.from([0, 2]), items: Int32Array.from([7, 8]), weights: Float64Array.from([1, 1]) };
    expect(sumPercentileRanks(one, t1, 0, 1, Int32Array.from([0]))).toBe(1); // 7 at 0, 8 missing at 1
    expect(sumPercentileRanks(one, t1, 0, 1, Int32Array.from([-1]))).toBe(2);
  });
});
