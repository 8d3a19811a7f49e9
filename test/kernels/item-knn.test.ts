import { describe, expect, it } from "vitest";
import { fillWeightedMatrix, ratingRows, type ItemKnnWeighting, type RatingRows } from "../../src/kernels/item-knn-matrix.js";
import { exclusionFromArrays, fitNeighbours, recommendFromNeighbours, type NeighbourLists } from "../../stages/item-knn/neighbours.js";

/** A random sparse matrix with duplicates and a skewed item popularity, as (user, item, rating) triples. */
function randomRatings(nUsers: number, nItems: number, perUser: number, seed: number): { user: Int32Array; item: Int32Array; rating: Float32Array } {
  let s = seed;
  const next = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  const user: number[] = [];
  const item: number[] = [];
  const rating: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const n = 1 + Math.floor(next() * perUser);
    for (let t = 0; t < n; t++) {
      user.push(u);
      item.push(Math.floor(nItems * next() ** 2)); // popular items at low indices; some pairs repeat
      rating.push(1 + Math.floor(next() * 5));
    }
  }
  return { user: Int32Array.from(user), item: Int32Array.from(item), rating: Float32Array.from(rating) };
}

function matrixOf(nUsers: number, nItems: number, perUser: number, seed: number): RatingRows {
  const r = randomRatings(nUsers, nItems, perUser, seed);
  return ratingRows(r.user, r.item, r.rating, nUsers, nItems);
}

/** The obvious computation: the dense weighted matrix, every item-item dot product in ascending user order, a full sort. */
function bruteNeighbours(m: RatingRows, weighting: ItemKnnWeighting, shrinkage: number, k: number, K1 = 1.2, B = 0.75): NeighbourLists {
  const nnz = m.rowItems.length;
  const w = {
    colPtr: new Int32Array(m.nItems + 1),
    colRowEnd: new Int32Array(nnz),
    colVals: new Float32Array(nnz),
    colRowPos: new Int32Array(nnz),
    rowPtr: new Int32Array(m.nUsers + 1),
    rowItems: new Int32Array(nnz),
    rowVals: new Float32Array(nnz),
    norms: new Float64Array(m.nItems),
  };
  fillWeightedMatrix(m, weighting, K1, B, w);
  const dense = new Float64Array(m.nUsers * m.nItems);
  for (let u = 0; u < m.nUsers; u++) for (let p = w.rowPtr[u]; p < w.rowPtr[u + 1]; p++) dense[u * m.nItems + w.rowItems[p]] = w.rowVals[p];
  const idx = new Int32Array(m.nItems * k).fill(-1);
  const sims = new Float32Array(m.nItems * k).fill(NaN);
  const counts = new Int32Array(m.nItems);
  for (let i = 0; i < m.nItems; i++) {
    const cand: Array<[number, number]> = [];
    for (let j = 0; j < m.nItems; j++) {
      if (j === i) continue;
      let dot = 0;
      for (let u = 0; u < m.nUsers; u++) dot += dense[u * m.nItems + i] * dense[u * m.nItems + j];
      if (dot !== 0) cand.push([dot / (w.norms[i] * w.norms[j] + shrinkage), j]);
    }
    cand.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    counts[i] = Math.min(k, cand.length);
    for (let t = 0; t < counts[i]; t++) {
      idx[i * k + t] = cand[t][1];
      sims[i * k + t] = cand[t][0];
    }
  }
  return { k, idx, sims, counts };
}

function bruteRecommend(m: RatingRows, nb: NeighbourLists, users: number[], num: number, seen: boolean): { idx: number[][]; scores: number[][] } {
  const idx: number[][] = [];
  const scores: number[][] = [];
  for (const u of users) {
    const score = new Float64Array(m.nItems);
    for (let p = m.rowPtr[u]; p < m.rowPtr[u + 1]; p++) {
      const i = m.rowItems[p];
      for (let t = 0; t < nb.counts[i]; t++) score[nb.idx[i * nb.k + t]] += m.rowRatings[p] * nb.sims[i * nb.k + t];
    }
    if (seen) for (let p = m.rowPtr[u]; p < m.rowPtr[u + 1]; p++) score[m.rowItems[p]] = 0;
    const cand = [...score.keys()]
      .filter((j) => score[j] !== 0)
      .sort((a, b) => score[b] - score[a] || b - a)
      .slice(0, num);
    idx.push(cand);
    scores.push(cand.map((j) => Math.fround(score[j])));
  }
  return { idx, scores };
}

const rowsOf = (n: NeighbourLists, i: number) => Array.from(n.idx.subarray(i * n.k, i * n.k + n.counts[i]));

describe("item-knn kernels", () => {
  it("rating rows: items ascending per user, duplicate pairs summed", () => {
    const m = ratingRows(Int32Array.from([1, 0, 1, 1, 0]), Int32Array.from([2, 1, 0, 2, 1]), Float32Array.from([1, 2, 3, 4, 5]), 2, 3);
    expect(Array.from(m.rowPtr)).toEqual([0, 1, 3]);
    expect(Array.from(m.rowItems)).toEqual([1, 0, 2]);
    expect(Array.from(m.rowRatings)).toEqual([7, 3, 5]);
  });

  for (const [weighting, shrinkage] of [
    ["none", 0],
    ["none", 3],
    ["tfidf", 0],
    ["tfidf", 1.5],
    ["bm25", 0],
  ] as Array<[ItemKnnWeighting, number]>) {
    it(`neighbours equal the brute-force ones (weighting ${weighting}, shrinkage ${shrinkage}), wasm and TypeScript byte for byte`, async () => {
      const m = matrixOf(60, 45, 9, 11);
      const p = { k: 6, shrinkage, weighting, K1: 1.2, B: 0.75 };
      const wasm = await fitNeighbours(m, p, { workers: 1, engine: "wasm" });
      const js = await fitNeighbours(m, p, { workers: 1, engine: "js" });
      const brute = bruteNeighbours(m, weighting, shrinkage, 6);
      expect(Buffer.from(wasm.idx.buffer).equals(Buffer.from(js.idx.buffer))).toBe(true);
      expect(Buffer.from(wasm.sims.buffer).equals(Buffer.from(js.sims.buffer))).toBe(true);
      expect(Array.from(js.idx)).toEqual(Array.from(brute.idx));
      expect(Array.from(js.sims)).toEqual(Array.from(brute.sims));
      // each list: other items only, most similar first
      for (let i = 0; i < m.nItems; i++) {
        expect(rowsOf(js, i)).not.toContain(i);
        for (let t = 1; t < js.counts[i]; t++) expect(js.sims[i * 6 + t - 1]).toBeGreaterThanOrEqual(js.sims[i * 6 + t]);
      }
      expect(Math.max(...js.counts)).toBe(6);
    });
  }

  it("both collection paths (walk the entries again / scan every item) are exercised and agree with brute force", async () => {
    // a few users rate almost everything: popular items' work exceeds the item count, rare items' does not
    const r = randomRatings(80, 50, 4, 5);
    const heavy = Array.from({ length: 50 }, (_, i) => i);
    const user = Int32Array.from([...r.user, ...heavy.map(() => 80), ...heavy.map(() => 81)]);
    const item = Int32Array.from([...r.item, ...heavy, ...heavy]);
    const rating = Float32Array.from([...r.rating, ...heavy.map((i) => 1 + (i % 5)), ...heavy.map((i) => 5 - (i % 5))]);
    const m = ratingRows(user, item, rating, 82, 50);
    const got = await fitNeighbours(m, { k: 10, shrinkage: 0, weighting: "none", K1: 1.2, B: 0.75 }, { workers: 1, engine: "wasm" });
    const brute = bruteNeighbours(m, "none", 0, 10);
    expect(Array.from(got.idx)).toEqual(Array.from(brute.idx));
    expect(Array.from(got.sims)).toEqual(Array.from(brute.sims));
  });

  it("1 and 2 workers give byte-identical neighbour lists and recommendations (wasm and TypeScript)", async () => {
    const m = matrixOf(400, 300, 25, 3);
    const p = { k: 12, shrinkage: 0, weighting: "bm25" as const, K1: 1.2, B: 0.75 };
    for (const engine of ["wasm", "js"] as const) {
      const one = await fitNeighbours(m, p, { workers: 1, engine });
      const two = await fitNeighbours(m, p, { workers: 2, engine });
      expect(Buffer.from(two.idx.buffer).equals(Buffer.from(one.idx.buffer))).toBe(true);
      expect(Buffer.from(two.sims.buffer).equals(Buffer.from(one.sims.buffer))).toBe(true);
      const queries = Int32Array.from({ length: 400 }, (_, u) => u);
      const r1 = await recommendFromNeighbours(m, one, queries, 10, null, { workers: 1, engine });
      const r2 = await recommendFromNeighbours(m, one, queries, 10, null, { workers: 2, engine });
      expect(Buffer.from(r2.idx.buffer).equals(Buffer.from(r1.idx.buffer))).toBe(true);
      expect(Buffer.from(r2.scores.buffer).equals(Buffer.from(r1.scores.buffer))).toBe(true);
    }
  });

  it("each pair computed once: ties, exact cancellations and 1-3 workers give the brute-force lists byte for byte", async () => {
    // ratings of +-1: many items share a cosine (ties go to the larger index) and some dots cancel to exactly 0
    // (no candidate); every pair (i, j) reaches j's list from row i, computed by whichever worker claimed row i
    const r = randomRatings(200, 150, 12, 7);
    const rating = r.rating.map((x) => (x % 2 === 0 ? -1 : 1));
    const m = ratingRows(r.user, r.item, rating, 200, 150);
    const p = { k: 8, shrinkage: 0, weighting: "none" as const, K1: 1.2, B: 0.75 };
    const brute = bruteNeighbours(m, "none", 0, 8);
    let ties = 0;
    for (let t = 1; t < brute.sims.length; t++) if (t % 8 !== 0 && brute.sims[t] === brute.sims[t - 1]) ties++;
    expect(ties).toBeGreaterThan(50);
    expect(Array.from(brute.sims).some((x) => x < 0)).toBe(true);
    for (const engine of ["wasm", "js"] as const) {
      for (const workers of [1, 2, 3]) {
        const got = await fitNeighbours(m, p, { workers, engine });
        expect(Array.from(got.idx), `${engine}, ${workers} workers`).toEqual(Array.from(brute.idx));
        expect(Buffer.from(got.sims.buffer).equals(Buffer.from(brute.sims.buffer)), `${engine}, ${workers} workers`).toBe(true);
      }
    }
  });

  it("recommendations equal the brute-force sum over the user's items' lists, seen items excluded, unknown users empty", async () => {
    const m = matrixOf(70, 40, 8, 19);
    const nb = await fitNeighbours(m, { k: 5, shrinkage: 0, weighting: "none", K1: 1.2, B: 0.75 }, { workers: 1, engine: "wasm" });
    const users = [0, 3, 7, 69];
    const queryRows = Int32Array.from([...users, -1]);
    // exclude the queried users' own items: CSR over the users (the others exclude nothing)
    const indptr = new Int32Array(m.nUsers + 1);
    const indices: number[] = [];
    for (let u = 0; u < m.nUsers; u++) {
      if (users.includes(u)) for (let p = m.rowPtr[u]; p < m.rowPtr[u + 1]; p++) indices.push(m.rowItems[p]);
      indptr[u + 1] = indices.length;
    }
    for (const engine of ["wasm", "js"] as const) {
      const got = await recommendFromNeighbours(m, nb, queryRows, 7, exclusionFromArrays(indptr, Int32Array.from(indices)), { workers: 1, engine });
      const want = bruteRecommend(m, nb, users, 7, true);
      users.forEach((_, q) => {
        expect(Array.from(got.idx.subarray(q * 7, q * 7 + got.counts[q]))).toEqual(want.idx[q]);
        expect(Array.from(got.scores.subarray(q * 7, q * 7 + got.counts[q]))).toEqual(want.scores[q]);
      });
      expect(got.counts[users.length]).toBe(0);
      expect(Array.from(got.idx.subarray(users.length * 7))).toEqual(new Array(7).fill(-1));
    }
  });
});
