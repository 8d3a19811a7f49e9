import { describe, expect, it } from "vitest";
import { rankingMetric, rankingScores, type RankingQueries } from "../../src/kernels/ranking-metrics.js";

/** Queries from plain lists (relevant sets sorted, as the kernel requires). */
function q(preds: number[][], rels: number[][]): RankingQueries {
  const ptr = (xs: number[][]) => Int32Array.from(xs.reduce((a, x) => [...a, a[a.length - 1] + x.length], [0]));
  return {
    predPtr: ptr(preds),
    pred: Int32Array.from(preds.flat()),
    relPtr: ptr(rels),
    rel: Int32Array.from(rels.map((r) => [...r].sort((a, b) => a - b)).flat()),
  };
}
const ln = Math.log;

describe("ranking metrics, hand-computed", () => {
  // P = [1, 6, 2, 7, 8], S = {1, 2, 3, 4, 5}; hits at ranks 1 and 3.
  const one = q([[1, 6, 2, 7, 8]], [[1, 2, 3, 4, 5]]);

  it("precisionAtK divides by k even when the list is shorter", () => {
    expect(rankingMetric("precisionAtK", one, 3)).toBeCloseTo(2 / 3, 12);
    expect(rankingMetric("precisionAtK", one, 10)).toBeCloseTo(2 / 10, 12);
  });

  it("recallAtK divides by |S|", () => {
    expect(rankingMetric("recallAtK", one, 2)).toBeCloseTo(1 / 5, 12);
    expect(rankingMetric("recallAtK", one, 5)).toBeCloseTo(2 / 5, 12);
  });

  it("average precision: @k over min(|S|, k), plain over |S|", () => {
    expect(rankingMetric("meanAveragePrecisionAtK", one, 3)).toBeCloseTo((1 + 2 / 3) / 3, 12);
    expect(rankingMetric("meanAveragePrecisionAtK", one, 10)).toBeCloseTo((1 + 2 / 3) / 5, 12);
    expect(rankingMetric("meanAveragePrecision", one, 1)).toBeCloseTo((1 + 2 / 3) / 5, 12);
  });

  it("ndcgAtK with binary gains and natural log", () => {
    const dcg = 1 / ln(2) + 1 / ln(4);
    const idcg3 = 1 / ln(2) + 1 / ln(3) + 1 / ln(4);
    expect(rankingMetric("ndcgAtK", one, 3)).toBeCloseTo(dcg / idcg3, 12);
    // k larger than both lists: n = max(|P|, |S|) = 5
    const idcg5 = idcg3 + 1 / ln(5) + 1 / ln(6);
    expect(rankingMetric("ndcgAtK", one, 20)).toBeCloseTo(dcg / idcg5, 12);
  });

  it("hit rate and MRR", () => {
    const two = q(
      [
        [9, 1],
        [7, 8],
      ],
      [[1], [3]],
    );
    expect(rankingMetric("hitRateAtK", two, 2)).toBe(0.5);
    expect(rankingMetric("hitRateAtK", two, 1)).toBe(0);
    expect(rankingMetric("mrrAtK", two, 2)).toBe(0.25);
  });

  it("a query with no relevant items scores 0 and counts in the mean (Spark)", () => {
    const qs = q(
      [
        [1, 2],
        [1, 2],
      ],
      [[1], []],
    );
    expect([...rankingScores("precisionAtK", qs, 2)]).toEqual([0.5, 0]);
    expect(rankingMetric("ndcgAtK", qs, 2)).toBe(0.5);
    expect(rankingMetric("meanAveragePrecision", qs, 2)).toBe(0.5);
  });

  it("an empty prediction list scores 0; duplicates in P count each time, as Spark does", () => {
    expect(rankingMetric("ndcgAtK", q([[]], [[1, 2]]), 5)).toBe(0);
    expect(rankingMetric("precisionAtK", q([[1, 1, 3]], [[1]]), 3)).toBeCloseTo(2 / 3, 12);
    expect(rankingMetric("meanAveragePrecision", q([[1, 1]], [[1]]), 2)).toBeCloseTo((1 + 1) / 1, 12);
  });

  it("no queries gives NaN", () => {
    expect(rankingMetric("ndcgAtK", q([], []), 5)).toBeNaN();
  });
});
