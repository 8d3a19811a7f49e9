/**
 * Item-item nearest neighbours: the readable TypeScript twin of assembly/item-knn.ts (the wasm engine) and the test
 * oracle it must match bit for bit. Both follow one contract:
 *
 * Neighbours of item i (rows [rowStart, rowEnd) of a NeighbourLayout):
 * - dot(i, j) = sum over the users u of i (ascending) of x[u,i] * x[u,j], each product and the sum in f64
 *   (the inputs are f32, so each product is exact), with x the weighted ratings (item-knn-matrix.ts);
 * - sim(i, j) = dot(i, j) / (norms[i] * norms[j] + shrinkage), in f64;
 * - candidates are the items j != i with dot(i, j) != 0 (items sharing at least one user); keep the top k under
 *   (sim, j), larger first, so ties go to the larger index; out row i: count entries best first (f32), then -1 / NaN.
 * This is benfred/implicit's all_pairs_knn (SMMP sparse products, a per-thread dense accumulator, a bounded heap),
 * without the item itself in its own list.
 *
 * Recommendations for query q (user row queryRows[q], or -1 for none):
 * - score(j) = sum over the user's items i (ascending) and over i's neighbour list (best first) of
 *   rating[u,i] * sim(i, j), in f64: implicit's NearestNeighboursScorer.recommend;
 * - candidates are the items with score != 0 that are not in the exclusion row of the query's user; top `num` under
 *   (score, j), larger first; out row q as above.
 *
 * Each row depends only on the inputs, never on which worker computes it or how rows are chunked, so the output is
 * identical for any worker count.
 */
import type { BoundedHeap } from "./bounded-heap.js";
import type { NeighbourViews, RecommendViews } from "./item-knn-layout.js";

/** 2^-40: far above the few ulps by which root * den and the division can round, far below any real gap. */
export const REJECT_MARGIN = 9.094947017729282e-13;

/**
 * Offers d / den to a heap of neighbours. Most candidates lose to the heap's root, and a division costs several
 * multiplications: when d is below root * den by REJECT_MARGIN (so d / den is below root even after rounding; |root *
 * den| > 1e-200 keeps clear of underflow), the candidate is dropped without dividing. The kept entries are exactly
 * those of always dividing.
 */
function offerNeighbour(heap: BoundedHeap, d: number, den: number, j: number): void {
  if (heap.size === heap.capacity) {
    const t = heap.scores[0] * den;
    const a = Math.abs(t);
    if (a > 1e-200 && d < t - a * REJECT_MARGIN) return;
  }
  heap.offer(d / den, j);
}

/** The k nearest neighbours of items [rowStart, rowEnd); `acc` is nItems zeros on entry and on exit. */
export function itemNeighbourRows(
  v: NeighbourViews,
  nItems: number,
  k: number,
  shrinkage: number,
  rowStart: number,
  rowEnd: number,
  acc: Float64Array,
  heap: BoundedHeap,
): void {
  const { colPtr, colUsers, colVals, rowPtr, rowItems, rowVals, norms, outIdx, outScores } = v;
  for (let i = rowStart; i < rowEnd; i++) {
    let work = 0;
    for (let p = colPtr[i]; p < colPtr[i + 1]; p++) {
      const u = colUsers[p];
      const w = colVals[p];
      const end = rowPtr[u + 1];
      for (let q = rowPtr[u]; q < end; q++) acc[rowItems[q]] += w * rowVals[q];
      work += end - rowPtr[u];
    }
    const di = norms[i];
    // Collect and clear: walking the same entries again costs `work`; scanning every item costs nItems.
    if (work < nItems) {
      for (let p = colPtr[i]; p < colPtr[i + 1]; p++) {
        const u = colUsers[p];
        const end = rowPtr[u + 1];
        for (let q = rowPtr[u]; q < end; q++) {
          const j = rowItems[q];
          const d = acc[j];
          if (d === 0) continue;
          acc[j] = 0;
          if (j !== i) offerNeighbour(heap, d, di * norms[j] + shrinkage, j);
        }
      }
    } else {
      for (let j = 0; j < nItems; j++) {
        const d = acc[j];
        if (d === 0) continue;
        acc[j] = 0;
        if (j !== i) offerNeighbour(heap, d, di * norms[j] + shrinkage, j);
      }
    }
    heap.drainInto(outIdx, outScores, i * k, k);
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
