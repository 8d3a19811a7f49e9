import { describe, expect, it } from "vitest";
import type { FactorSet } from "../../stages/als/recommend.js";
import { recommendTopK } from "../../stages/als/recommend.js";
import { normalisedFactors } from "../../stages/als/similar-items.js";
import { similarForEveryItem } from "../../stages/als/similar-items-every.js";
import { planSimilarCosineLayout, prepareSimilarCosine, SIMCOS_SCALE, similarCosineViews, splitOctets } from "../../src/kernels/similar-cosine.js";

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
}

/** Normalised factors with the awkward cases: a zero row, a NaN row, duplicated and scaled directions, near-ties. */
function awkwardFactors(n: number, rank: number, seed: number): FactorSet {
  const next = lcg(seed);
  const f = Float32Array.from({ length: n * rank }, next);
  for (let d = 0; d < rank; d++) {
    f[5 * rank + d] = 0;
    f[9 * rank + d] = f[3 * rank + d]; // same direction as 3: cosine 1 between them
    f[10 * rank + d] = f[3 * rank + d] * 2;
    // 11..14: 3's direction nudged by far less than the int16 estimate's error, so the screen alone cannot order them.
    for (let e = 11; e < 15; e++) f[e * rank + d] = f[3 * rank + d] + (d === 0 ? (e - 10) * 1e-6 : 0);
  }
  f[7 * rank + 1] = NaN;
  // Ids out of order: lists are indexed by id order, so ties must still go to the larger id.
  const ids = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 100003);
  return normalisedFactors({ ids, factors: f, rank });
}

async function bruteForce(set: FactorSet, k: number) {
  return recommendTopK(set, set, k, { workers: 1, exclude: { queryIds: set.ids, targetIds: set.ids } });
}

describe("similar items of every item (symmetric, int16-screened kernel)", () => {
  for (const [n, rank] of [
    [203, 7],
    [1001, 16],
    [61, 1],
    [300, 64],
  ] as const) {
    for (const [engine, workers] of [
      ["wasm", 1],
      ["wasm", 2],
      ["wasm", 3],
      ["js", 1],
      ["js", 2],
    ] as const) {
      it(`equals the top-k kernel on the items x items product bit for bit (n ${n}, rank ${rank}, ${engine}, ${workers} workers)`, async () => {
        const set = awkwardFactors(n, rank, n + rank);
        const want = await bruteForce(set, 10);
        const got = await similarForEveryItem(set, 10, { workers, engine });
        expect(Array.from(got.queryIds)).toEqual(Array.from(want.queryIds));
        expect(Array.from(got.counts)).toEqual(Array.from(want.counts));
        expect(Array.from(got.ids)).toEqual(Array.from(want.ids));
        expect(Buffer.from(got.scores.buffer).equals(Buffer.from(want.scores.buffer))).toBe(true);
      });
    }
  }

  it("lists every other item when k exceeds the catalogue, never the item itself", async () => {
    const set = awkwardFactors(13, 5, 3);
    const got = await similarForEveryItem(set, 20, { workers: 2 });
    const want = await bruteForce(set, 20);
    expect(Array.from(got.counts)).toEqual(Array.from(want.counts));
    expect(Array.from(got.ids)).toEqual(Array.from(want.ids));
    for (let q = 0; q < 13; q++) expect(Array.from(got.ids.subarray(q * 20, q * 20 + got.counts[q]))).not.toContain(set.ids[q]);
  });

  it("bounds the int16 estimate's error by the layout's eps (the screen never drops a pair that could enter)", () => {
    const rank = 64;
    const n = 400;
    const next = lcg(99);
    // Spiky rows (one large entry) and flat rows: the L1 norm, which the error grows with, at both extremes.
    const raw = Float32Array.from({ length: n * rank }, (_, i) => (i % rank === (i / rank) % rank ? 40 : 1) * next());
    const set = normalisedFactors({ ids: Int32Array.from({ length: n }, (_, i) => i), factors: raw, rank });
    const l = planSimilarCosineLayout(n, rank, 10, 1);
    const v = similarCosineViews(new ArrayBuffer(l.totalBytes), l);
    prepareSimilarCosine(set.factors, v, l);
    const f = Math.fround;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let a = 0;
        let s = 0;
        for (let d = 0; d < rank; d++) {
          a += v.qRows[i * l.rank2 + d] * v.qRows[j * l.rank2 + d];
          s = f(s + f(set.factors[i * rank + d] * set.factors[j * rank + d]));
        }
        expect(Math.abs(a)).toBeLessThan(2 ** 31);
        worst = Math.max(worst, s - a / (SIMCOS_SCALE * SIMCOS_SCALE));
      }
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(l.eps);
  });

  it("splits query octets into contiguous ranges of about equal triangle work", () => {
    const ranges = splitOctets(1000, 3);
    expect(ranges[0][0]).toBe(0);
    expect(ranges[2][1]).toBe(1000);
    for (let p = 1; p < 3; p++) expect(ranges[p][0]).toBe(ranges[p - 1][1]);
    const work = ranges.map(([a, b]) => {
      let w = 0;
      for (let o = a; o < b; o++) w += 1000 - o;
      return w;
    });
    for (const w of work) expect(Math.abs(w - 500500 / 3)).toBeLessThan(1000);
  });
});
