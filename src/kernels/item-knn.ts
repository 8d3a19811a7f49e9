/**
 * Item-item nearest neighbours: the readable TypeScript twin of assembly/item-knn.ts (the wasm engine) and the test
 * oracle it must match bit for bit. Both follow one contract:
 *
 * Neighbours of every item, in two phases over a NeighbourLayout:
 * - dot(i, j) = sum over the users u common to i and j (ascending) of x[u,i] * x[u,j], each product and the sum in
 *   f64 (the inputs are f32, so each product is exact), with x the weighted ratings (item-knn-matrix.ts);
 * - sim(i, j) = dot(i, j) / (norms[i] * norms[j] + shrinkage), in f64;
 * - candidates are the items j != i with dot(i, j) != 0 (items sharing at least one user); keep the top k under
 *   (sim, j), larger first, so ties go to the larger index; out row i: count entries best first (f32), then -1 / NaN.
 * dot(i, j) and dot(j, i) add the same exact products in the same order, and IEEE multiplication commutes, so both
 * are the same f64, and so are the two sims: each unordered pair is computed once. Phase 1 (itemNeighbourPairs), for
 * the rows [rowStart, rowEnd) a worker claims: for item i, walk each user u of i over u's items after i only (rows
 * are sorted by item; colRowPos and colRowEnd say where i sits in u's row and where that row ends), accumulate dot(i, j) for j > i, and offer (sim, j) to
 * i's heap and (sim, i) to j's, both in the worker's own heap per item (NeighbourHeaps). Phase 2
 * (mergeNeighbourHeaps): item i's list is the top k of the union of every worker's heap for i, which is the top k
 * of all of i's candidates, whichever worker saw them.
 * This is benfred/implicit's all_pairs_knn (SMMP sparse products, a per-thread dense accumulator, a bounded heap),
 * without the item itself in its own list, and with each pair's product done once instead of twice.
 *
 * Recommendations for query q (user row queryRows[q], or -1 for none):
 * - score(j) = sum over the user's items i (ascending) and over i's neighbour list (best first) of
 *   rating[u,i] * sim(i, j), in f64: implicit's NearestNeighboursScorer.recommend;
 * - candidates are the items with score != 0 that are not in the exclusion row of the query's user; top `num` under
 *   (score, j), larger first; out row q as above.
 *
 * The entries a row ends with depend only on the inputs, never on which worker computes a pair or how rows are
 * chunked (the top k under a total order of a union is the same whatever the split), so the output is identical
 * for any worker count.
 */
import type { BoundedHeap } from "./bounded-heap.js";
import type { ItemHeaps } from "./item-heaps.js";
import type { NeighbourViews, RecommendViews } from "./item-knn-layout.js";

/** 2^-40: far above the few ulps by which floor * den and the division can round, far below any real gap. */
export const REJECT_MARGIN = 9.094947017729282e-13;

/**
 * Would d / den lose to a full heap whose root scores `floor`? Most candidates do, and a division costs several
 * multiplications: when d is below floor * den by REJECT_MARGIN (so d / den is below the root even after rounding;
 * |floor * den| > 1e-200 keeps clear of underflow), the candidate can be dropped without dividing. A heap that is not
 * full has floor -Infinity, which rejects nothing. The kept entries are exactly those of always dividing.
 */
function rejectedBy(floor: number, d: number, den: number): boolean {
  const t = floor * den;
  const a = Math.abs(t);
  return a > 1e-200 && d < t - a * REJECT_MARGIN;
}

/**
 * A worker's heap per item (item-heaps.ts) and floors[j], the root's score of j's heap once it is full, -Infinity
 * until then, so the early reject reads one dense array instead of a heap each.
 */
export interface NeighbourHeaps {
  heaps: ItemHeaps<Float64Array>;
  floors: Float64Array;
}

/** Every heap empty, every floor -Infinity. */
export function clearNeighbourHeaps(h: NeighbourHeaps): void {
  h.heaps.clear();
  h.floors.fill(-Infinity);
}

/** Offers the pair (i, j) with dot d to i's heap as (sim, j) and to j's heap as (sim, i). */
function offerPair(h: NeighbourHeaps, i: number, j: number, d: number, den: number): void {
  const { heaps, floors } = h;
  const keepI = !rejectedBy(floors[i], d, den);
  const keepJ = !rejectedBy(floors[j], d, den);
  if (!keepI && !keepJ) return;
  const sim = d / den;
  if (keepI && heaps.offer(i, sim, j)) floors[i] = heaps.root(i);
  if (keepJ && heaps.offer(j, sim, i)) floors[j] = heaps.root(j);
}

/**
 * Phase 1 for items [rowStart, rowEnd): every pair (i, j > i) into this worker's `heaps`; `acc` is nItems zeros on
 * entry and on exit.
 */
export function itemNeighbourPairs(
  v: NeighbourViews,
  nItems: number,
  shrinkage: number,
  rowStart: number,
  rowEnd: number,
  acc: Float64Array,
  heaps: NeighbourHeaps,
): void {
  const { colPtr, colRowEnd, colVals, colRowPos, rowItems, rowVals, norms } = v;
  for (let i = rowStart; i < rowEnd; i++) {
    let work = 0;
    for (let p = colPtr[i]; p < colPtr[i + 1]; p++) {
      const w = colVals[p];
      const end = colRowEnd[p];
      for (let q = colRowPos[p] + 1; q < end; q++) acc[rowItems[q]] += w * rowVals[q];
      work += end - colRowPos[p] - 1;
    }
    const di = norms[i];
    // Collect and clear: walking the same entries again costs `work`; scanning the items after i costs nItems - i - 1.
    if (work < nItems - i - 1) {
      for (let p = colPtr[i]; p < colPtr[i + 1]; p++) {
        const end = colRowEnd[p];
        for (let q = colRowPos[p] + 1; q < end; q++) {
          const j = rowItems[q];
          const d = acc[j];
          if (d === 0) continue;
          acc[j] = 0;
          offerPair(heaps, i, j, d, di * norms[j] + shrinkage);
        }
      }
    } else {
      for (let j = i + 1; j < nItems; j++) {
        const d = acc[j];
        if (d === 0) continue;
        acc[j] = 0;
        offerPair(heaps, i, j, d, di * norms[j] + shrinkage);
      }
    }
  }
}

/** Phase 2 for items [rowStart, rowEnd): the top k of every worker's heap for the item, into its out row. */
export function mergeNeighbourHeaps(v: NeighbourViews, k: number, slots: ItemHeaps<Float64Array>[], rowStart: number, rowEnd: number, heap: BoundedHeap): void {
  for (let i = rowStart; i < rowEnd; i++) {
    for (const h of slots) {
      const base = i * k;
      for (let t = 0; t < h.sizes[i]; t++) heap.offer(h.scores[base + t], h.idx[base + t]);
    }
    heap.drainInto(v.outIdx, v.outScores, i * k, k);
  }
}

/** The top `num` items for queries [qStart, qEnd) from the neighbour lists; `acc` is nItems zeros on entry and exit. */
export function recommendFromNeighbourRows(
  v: RecommendViews,
  k: number,
  num: number,
  qStart: number,
  qEnd: number,
  acc: Float64Array,
  heap: BoundedHeap,
): void {
  const { rowPtr, rowItems, rowRatings, nbrIdx, nbrSim, nbrCount, queryRows, exclIndptr, exclIndices, outIdx, outScores } = v;
  for (let q = qStart; q < qEnd; q++) {
    const r = queryRows[q];
    if (r >= 0) {
      for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
        const i = rowItems[p];
        const w = rowRatings[p];
        const base = i * k;
        const n = nbrCount[i];
        for (let t = 0; t < n; t++) acc[nbrIdx[base + t]] += w * nbrSim[base + t];
      }
      if (exclIndptr && exclIndices) for (let e = exclIndptr[r]; e < exclIndptr[r + 1]; e++) acc[exclIndices[e]] = 0;
      for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
        const base = rowItems[p] * k;
        const n = nbrCount[rowItems[p]];
        for (let t = 0; t < n; t++) {
          const j = nbrIdx[base + t];
          const s = acc[j];
          if (s === 0) continue;
          acc[j] = 0;
          heap.offer(s, j);
        }
      }
    }
    heap.drainInto(outIdx, outScores, q * num, num);
  }
}
