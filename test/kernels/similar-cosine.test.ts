import { describe, expect, it } from "vitest";
import type { FactorSet } from "../../stages/als/recommend.js";
import { recommendTopK } from "../../stages/als/recommend.js";
import { normalisedFactors } from "../../stages/als/similar-items.js";
import { similarForEveryItem } from "../../stages/als/similar-items-every.js";
import { mergeSimilarCosine, planSimilarCosineLayout, prepareSimilarCosine, SIMCOS_SCALE, similarCosineViews } from "../../src/kernels/similar-cosine.js";
import {
  runSimilarCosineChunks,
  runSimilarCosineRange,
  SIMCOS_CHUNK_OCTETS,
  similarCosineWasmModule,
  type SimilarCosineShared,
} from "../../src/kernels/similar-cosine-wasm.js";
import { createTopKMemory } from "../../src/kernels/top-k-dot-wasm.js";

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
    [4099, 3], // five chunks of query octets: threads claim them as they come
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

  for (const engine of ["wasm", "js"] as const) {
    it(`gives the same lists whichever thread runs which chunk of query octets, in any order (what claiming chunks relies on; ${engine})`, async () => {
      const n = 4099; // 513 octets: five chunks
      const rank = 3;
      const next = lcg(7);
      const set = normalisedFactors({ ids: Int32Array.from({ length: n }, (_, i) => i), factors: Float32Array.from({ length: n * rank }, next), rank });
      const want = await bruteForce(set, 10);
      const l = planSimilarCosineLayout(n, rank, 10, 3);
      const shared: SimilarCosineShared =
        engine === "wasm"
          ? { engine, memory: createTopKMemory(l.totalBytes), module: similarCosineWasmModule() }
          : { engine, buffer: new ArrayBuffer(l.totalBytes) };
      const v = similarCosineViews(shared.engine === "wasm" ? shared.memory.buffer : shared.buffer, l);
      prepareSimilarCosine(set.factors, v, l);
      const nOctets = l.nPad / 8;
      const chunks = Math.ceil(nOctets / SIMCOS_CHUNK_OCTETS);
      expect(chunks).toBeGreaterThan(3);
      // Thread 1 claims the last two chunks from a counter; then the rest, last first, on threads out of step with them.
      const counter = Int32Array.of(chunks - 2);
      runSimilarCosineChunks(shared, l, 1, counter);
      expect(counter[0]).toBe(chunks + 1);
      for (let c = chunks - 3; c >= 0; c--) runSimilarCosineRange(shared, l, (c * 2) % 3, c * SIMCOS_CHUNK_OCTETS, (c + 1) * SIMCOS_CHUNK_OCTETS);
      const outIdx = new Int32Array(n * 10);
      const outScores = new Float32Array(n * 10);
      const counts = new Int32Array(n);
      mergeSimilarCosine(v, l, outIdx, outScores, counts);
      expect(Array.from(counts)).toEqual(Array.from(want.counts));
      expect(Array.from(outIdx)).toEqual(Array.from(want.ids));
      expect(Buffer.from(outScores.buffer).equals(Buffer.from(want.scores.buffer))).toBe(true);
    });
  }
});
