import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recommendTopK, type FactorSet, type TopK } from "../../stages/als/recommend.js";
import { planTopKLayout, prepareQueries, prepareTargets, topKDot, topKViews } from "../../src/kernels/top-k-dot.js";

/**
 * Norm pruning must not change a single list: every engine returns brute force's top-k (score descending, ties to
 * the larger id), exclusions honoured. Factors are small integers times powers of two, so products and sums are
 * exact in f32 and exact ties are common; some target rows copy others (duplicated item vectors, equal norms across
 * stripe boundaries), and per-row scales spread the norms so that the pruning actually cuts scans short.
 */

interface Case {
  rank: number;
  num: number;
  queries: FactorSet;
  targets: FactorSet;
  seen: Array<[number, number]>;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    rank: fc.integer({ min: 1, max: 9 }),
    nQueries: fc.integer({ min: 1, max: 11 }),
    nTargets: fc.integer({ min: 1, max: 140 }),
    num: fc.integer({ min: 1, max: 12 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    dupShare: fc.double({ min: 0, max: 0.6, noNaN: true }),
    seenShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
  })
  .map(({ rank, nQueries, nTargets, num, seed, dupShare, seenShare }) => {
    let a = seed >>> 0;
    const rand = (): number => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number): number => Math.floor(rand() * n);
    const matrix = (rows: number, dup: boolean): Float32Array => {
      const m = new Float32Array(rows * rank);
      for (let r = 0; r < rows; r++) {
        if (dup && r > 0 && rand() < dupShare) {
          m.copyWithin(r * rank, int(r) * rank, int(r) * rank + rank);
          continue;
        }
        const scale = 2 ** -int(6);
        for (let d = 0; d < rank; d++) m[r * rank + d] = (int(7) - 3) * scale;
      }
      return m;
    };
    // Sparse, shuffled ids: "larger index" inside the kernel must mean "larger id".
    const ids = (n: number, base: number): Int32Array => {
      const out = Int32Array.from({ length: n }, (_, i) => base + 3 * i);
      for (let i = n - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    };
    const queries: FactorSet = { ids: ids(nQueries, 1000), factors: matrix(nQueries, false), rank };
    const targets: FactorSet = { ids: ids(nTargets, -50), factors: matrix(nTargets, true), rank };
    const seen: Array<[number, number]> = [];
    for (const q of queries.ids) for (const t of targets.ids) if (rand() < seenShare) seen.push([q, t]);
    return { rank, num, queries, targets, seen };
  });

/** Brute force: every target scored with a sequential f32 dot, sorted by (score desc, id desc), cut at num. */
function bruteForce(c: Case): Array<Array<[number, number]>> {
  const f = Math.fround;
  const seen = new Set(c.seen.map(([q, t]) => `${q}:${t}`));
  return Array.from(c.queries.ids, (qid, i) => {
    const rows: Array<[number, number]> = [];
    for (let j = 0; j < c.targets.ids.length; j++) {
      if (seen.has(`${qid}:${c.targets.ids[j]}`)) continue;
      let s = 0;
      for (let d = 0; d < c.rank; d++) s = f(s + f(c.queries.factors[i * c.rank + d] * c.targets.factors[j * c.rank + d]));
      if (!Number.isNaN(s)) rows.push([c.targets.ids[j], s]);
    }
    rows.sort((x, y) => y[1] - x[1] || y[0] - x[0]);
    return rows.slice(0, c.num);
  });
}

function rows(r: TopK, num: number): Array<Array<[number, number]>> {
  return Array.from(r.queryIds, (_, q) => Array.from({ length: r.counts[q] }, (_, j): [number, number] => [r.ids[q * num + j], r.scores[q * num + j]]));
}

const exclude = (c: Case): { queryIds: Int32Array; targetIds: Int32Array } | undefined =>
  c.seen.length ? { queryIds: Int32Array.from(c.seen, (p) => p[0]), targetIds: Int32Array.from(c.seen, (p) => p[1]) } : undefined;

describe("top-k with norm pruning equals brute force", () => {
  it("wasm and the TypeScript twin, ties, duplicated vectors and exclusions included", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const expected = bruteForce(c);
        for (const engine of ["wasm", "js"] as const) {
          const got = await recommendTopK(c.queries, c.targets, c.num, { workers: 1, engine, exclude: exclude(c) });
          expect(rows(got, c.num)).toEqual(expected);
        }
      }),
      { numRuns: 250 },
    );
  });

  it("2 workers give the same bytes as 1 on a case where pruning stops scans early", async () => {
    const c = fc.sample(
      caseArb.filter((x) => x.queries.ids.length >= 8 && x.targets.ids.length >= 100),
      { numRuns: 1, seed: 7 },
    )[0];
    for (const engine of ["wasm", "js"] as const) {
      const one = await recommendTopK(c.queries, c.targets, c.num, { workers: 1, engine, exclude: exclude(c) });
      const two = await recommendTopK(c.queries, c.targets, c.num, { workers: 2, engine, exclude: exclude(c) });
      expect(Array.from(two.ids)).toEqual(Array.from(one.ids));
      expect(Array.from(two.scores)).toEqual(Array.from(one.scores));
      expect(rows(one, c.num)).toEqual(bruteForce(c));
    }
  });

  it("skips most of the catalogue when target norms vary (the bound is not vacuous)", () => {
    // 20 queries x 4,000 targets, rank 8; target norms spread over 3 orders of magnitude, as fitted item factors' do.
    const rank = 8;
    const nQueries = 20;
    const nTargets = 4000;
    let a = 12345;
    const rand = (): number => (a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5;
    const targets = new Float32Array(nTargets * rank);
    for (let t = 0; t < nTargets; t++) {
      const scale = 10 ** (-3 * (t / nTargets));
      for (let d = 0; d < rank; d++) targets[t * rank + d] = rand() * scale;
    }
    const queries = Float32Array.from({ length: nQueries * rank }, rand);
    const layout = planTopKLayout({ nQueries, nTargets, rank, num: 10, exclusionNnz: -1, workers: 1 });
    const views = topKViews(new ArrayBuffer(layout.totalBytes), layout);
    prepareQueries(queries, views, layout);
    prepareTargets(targets, views, layout);
    const stats = { scored: 0 };
    topKDot(views, layout, 0, nQueries, stats);
    expect(stats.scored).toBeLessThan(0.25 * nQueries * nTargets);
    expect(stats.scored).toBeGreaterThanOrEqual(10 * nQueries);
  });
});
