import { describe, expect, it } from "vitest";
import { predictPairs, recommendTopK, type FactorSet, type TopK } from "../../../stages/als/recommend.js";
import { InputError } from "../../../src/core/errors.js";

/** Small deterministic generator (mulberry32) for random factors. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSet(n: number, rank: number, seed: number, ids?: Int32Array): FactorSet {
  const r = rng(seed);
  return {
    ids: ids ?? Int32Array.from({ length: n }, (_, i) => i),
    factors: Float32Array.from({ length: n * rank }, () => r() - 0.5),
    rank,
  };
}

/** The obvious oracle: score every pair with a sequential f32 dot, sort by (score desc, id desc), cut at num. */
function naiveTopK(q: FactorSet, t: FactorSet, num: number, seen?: Set<string>): Array<Array<[number, number]>> {
  const f = Math.fround;
  return Array.from(q.ids, (qid, i) => {
    const rows: Array<[number, number]> = [];
    for (let j = 0; j < t.ids.length; j++) {
      if (seen?.has(`${qid}:${t.ids[j]}`)) continue;
      let s = 0;
      for (let d = 0; d < q.rank; d++) s = f(s + f(q.factors[i * q.rank + d] * t.factors[j * t.rank + d]));
      rows.push([t.ids[j], s]);
    }
    rows.sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    return rows.slice(0, num);
  });
}

function rowOf(r: TopK, q: number, num: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let j = 0; j < r.counts[q]; j++) out.push([r.ids[q * num + j], r.scores[q * num + j]]);
  return out;
}

describe("recommendTopK", () => {
  // Odd sizes exercise the 4-query groups' tail and the 8-target padding; ids are shuffled and sparse.
  const rank = 7;
  const query = randomSet(
    37,
    rank,
    1,
    Int32Array.from({ length: 37 }, (_, i) => 1000 - 7 * i),
  );
  const targetIds = Int32Array.from({ length: 203 }, (_, i) => ((i * 7919) % 1009) - 300);
  const target = randomSet(203, rank, 2, targetIds);

  it("wasm and the TypeScript twin agree exactly, and both match a naive f32 oracle", async () => {
    const js = await recommendTopK(query, target, 10, { workers: 1, engine: "js" });
    const wasm = await recommendTopK(query, target, 10, { workers: 1, engine: "wasm" });
    expect(Array.from(wasm.ids)).toEqual(Array.from(js.ids));
    expect(Array.from(wasm.scores)).toEqual(Array.from(js.scores));
    const oracle = naiveTopK(query, target, 10);
    for (let q = 0; q < query.ids.length; q++) {
      expect(rowOf(wasm, q, 10)).toEqual(oracle[q]);
      for (const [, s] of rowOf(wasm, q, 10)) expect(Number.isFinite(s)).toBe(true);
    }
    expect(Array.from(wasm.queryIds)).toEqual(Array.from(query.ids));
  });

  it("1 and 2 workers give identical bytes (wasm and js)", async () => {
    for (const engine of ["wasm", "js"] as const) {
      const one = await recommendTopK(query, target, 5, { workers: 1, engine });
      const two = await recommendTopK(query, target, 5, { workers: 2, engine });
      expect(Array.from(two.ids)).toEqual(Array.from(one.ids));
      expect(Array.from(two.scores)).toEqual(Array.from(one.scores));
    }
  });

  it("breaks ties by the larger id first", async () => {
    // Targets 3, 9, 5 score exactly 2 for the query; 1 scores 1; 7 scores 2 as well.
    const q: FactorSet = { ids: Int32Array.from([0]), factors: Float32Array.from([1, 0]), rank: 2 };
    const t: FactorSet = {
      ids: Int32Array.from([3, 9, 1, 5, 7]),
      factors: Float32Array.from([2, 0, 2, 1, 1, 5, 2, -1, 2, 0]),
      rank: 2,
    };
    for (const engine of ["wasm", "js"] as const) {
      const r = await recommendTopK(q, t, 3, { workers: 1, engine });
      expect(Array.from(r.ids)).toEqual([9, 7, 5]);
      expect(Array.from(r.scores)).toEqual([2, 2, 2]);
    }
  });

  it("returns the whole catalogue, padded with -1 / NaN, when num exceeds it", async () => {
    const t = randomSet(6, 3, 5);
    const q = randomSet(5, 3, 6);
    for (const engine of ["wasm", "js"] as const) {
      const r = await recommendTopK(q, t, 10, { workers: 1, engine });
      for (let i = 0; i < 5; i++) {
        expect(r.counts[i]).toBe(6);
        expect(new Set(Array.from(r.ids.subarray(i * 10, i * 10 + 6)))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
        expect(Array.from(r.ids.subarray(i * 10 + 6, i * 10 + 10))).toEqual([-1, -1, -1, -1]);
        expect(Array.from(r.scores.subarray(i * 10 + 6, i * 10 + 10)).every(Number.isNaN)).toBe(true);
      }
      expect(rowOf(r, 2, 10)).toEqual(naiveTopK(q, t, 10)[2]);
    }
  });

  it("excludeSeen never returns a seen target, and fills from the next best", async () => {
    // Exclude each query's unrestricted top 3 (plus unknown ids and a duplicate pair, which are ignored).
    const free = await recommendTopK(query, target, 3, { workers: 1, engine: "js" });
    const qIds: number[] = [];
    const tIds: number[] = [];
    for (let q = 0; q < query.ids.length; q++) {
      for (let j = 0; j < 3; j++) {
        qIds.push(query.ids[q]);
        tIds.push(free.ids[q * 3 + j]);
      }
    }
    qIds.push(-12345, query.ids[0], query.ids[0]);
    tIds.push(target.ids[0], 99999, free.ids[0]);
    const exclude = { queryIds: Int32Array.from(qIds), targetIds: Int32Array.from(tIds) };
    const seen = new Set(qIds.map((q, i) => `${q}:${tIds[i]}`));
    const oracle = naiveTopK(query, target, 10, seen);
    for (const engine of ["wasm", "js"] as const) {
      for (const workers of [1, 2]) {
        const r = await recommendTopK(query, target, 10, { workers, engine, exclude });
        for (let q = 0; q < query.ids.length; q++) {
          const row = rowOf(r, q, 10);
          expect(row).toEqual(oracle[q]);
          for (const [id] of row) expect(seen.has(`${query.ids[q]}:${id}`)).toBe(false);
        }
      }
    }
  });

  it("rejects num < 1 with an InputError", async () => {
    await expect(recommendTopK(query, target, 0, { workers: 1 })).rejects.toBeInstanceOf(InputError);
  });
});

describe("predictPairs", () => {
  it("equals a naive sequential f32 dot, NaN for unknown ids", () => {
    const users = randomSet(
      20,
      5,
      11,
      Int32Array.from({ length: 20 }, (_, i) => i * 2),
    );
    const items = randomSet(
      30,
      5,
      12,
      Int32Array.from({ length: 30 }, (_, i) => 100 + i),
    );
    const r = rng(13);
    const u = Int32Array.from({ length: 203 }, () => Math.floor(r() * 42)); // 203: four-pair blocks and a tail; odd ids and 40, 41 are unknown
    const it_ = Int32Array.from({ length: 203 }, () => 98 + Math.floor(r() * 33)); // 98, 99, 130 unknown
    const got = predictPairs(users, items, u, it_);
    const f = Math.fround;
    for (let i = 0; i < u.length; i++) {
      const ur = users.ids.indexOf(u[i]);
      const ir = items.ids.indexOf(it_[i]);
      if (ur < 0 || ir < 0) {
        expect(got[i]).toBeNaN();
        continue;
      }
      let s = 0;
      for (let d = 0; d < 5; d++) s = f(s + f(users.factors[ur * 5 + d] * items.factors[ir * 5 + d]));
      expect(got[i]).toBe(s);
    }
    expect(Array.from(got).some(Number.isNaN)).toBe(true);
    expect(Array.from(got).some((x) => !Number.isNaN(x))).toBe(true);
  });
});
