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
 * - candidates are the items with score != 0 that are not in the query's exclusion row; top `num` under
 *   (score, j), larger first; out row q as above.
 *
 * Each row depends only on the inputs, never on which worker computes it or how rows are chunked, so the output is
 * identical for any worker count.
 */
import type { NeighbourViews, RecommendViews } from "./item-knn-layout.js";

/** (sa, ia) ranks below (sb, ib): lower score, or equal score and lower index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia < ib);
}

/** A bounded min-heap on (f64 score, index) whose root is the worst entry kept. */
export class KnnHeap {
  readonly scores: Float64Array;
  readonly idx: Int32Array;
  size = 0;
  constructor(readonly capacity: number) {
    this.scores = new Float64Array(Math.max(1, capacity));
    this.idx = new Int32Array(Math.max(1, capacity));
  }

  offer(score: number, index: number): void {
    if (this.size < this.capacity) {
      let pos = this.size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(score, index, this.scores[parent], this.idx[parent])) break;
        this.scores[pos] = this.scores[parent];
        this.idx[pos] = this.idx[parent];
        pos = parent;
      }
      this.scores[pos] = score;
      this.idx[pos] = index;
    } else if (this.capacity > 0 && worse(this.scores[0], this.idx[0], score, index)) {
      this.scores[0] = score;
      this.idx[0] = index;
      this.siftDown(0);
    }
  }

  private siftDown(pos: number): void {
    const s = this.scores[pos];
    const id = this.idx[pos];
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= this.size) break;
      let c = l;
      const r = l + 1;
      if (r < this.size && worse(this.scores[r], this.idx[r], this.scores[l], this.idx[l])) c = r;
      if (!worse(this.scores[c], this.idx[c], s, id)) break;
      this.scores[pos] = this.scores[c];
      this.idx[pos] = this.idx[c];
      pos = c;
    }
    this.scores[pos] = s;
    this.idx[pos] = id;
  }

  /** Empties the heap into out[offset ..], best first, and pads the row to `width` with -1 / NaN. */
  drainInto(outIdx: Int32Array, outScores: Float32Array, offset: number, width: number): void {
    const count = this.size;
    while (this.size > 0) {
      const last = --this.size;
      outIdx[offset + last] = this.idx[0];
      outScores[offset + last] = this.scores[0];
      this.scores[0] = this.scores[last];
      this.idx[0] = this.idx[last];
      this.siftDown(0);
    }
    outIdx.fill(-1, offset + count, offset + width);
    outScores.fill(NaN, offset + count, offset + width);
  }
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
  heap: KnnHeap,
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
          if (j !== i) heap.offer(d / (di * norms[j] + shrinkage), j);
        }
      }
    } else {
      for (let j = 0; j < nItems; j++) {
        const d = acc[j];
        if (d === 0) continue;
        acc[j] = 0;
        if (j !== i) heap.offer(d / (di * norms[j] + shrinkage), j);
      }
    }
    heap.drainInto(outIdx, outScores, i * k, k);
  }
}

/** The top `num` items for queries [qStart, qEnd) from the neighbour lists; `acc` is nItems zeros on entry and exit. */
export function recommendFromNeighbourRows(v: RecommendViews, k: number, num: number, qStart: number, qEnd: number, acc: Float64Array, heap: KnnHeap): void {
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
      if (exclIndptr && exclIndices) for (let e = exclIndptr[q]; e < exclIndptr[q + 1]; e++) acc[exclIndices[e]] = 0;
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
