/**
 * One bounded heap per item, in flat arrays (a worker's scratch in a kernel's shared memory), for the kernels that
 * score each pair (i, j) once and offer it to both i's and j's heaps, so a worker needs a heap for every item, not
 * only for the row it is on: item-knn's pair kernel (item-knn.ts, f64 scores) and similar items of every item
 * (similar-cosine.ts, f32 scores). Item j's heap is the k entries at [j*k, j*k + sizes[j]) of scores / idx, a binary
 * min-heap under bounded-heap.ts's order ("higher score, then higher index, is better") whose root, the worst entry
 * kept, is at j*k. Scores are stored in the caller's array type: an f32 kernel offers f32 values, which an f32 array
 * holds exactly, so the comparisons are those of its wasm twin either way.
 *
 * Both kernels prune with a per-item bar derived from the root once the heap is full (item-knn's floors, the shared
 * integer thresholds of similar-cosine): `offer` says when the root may have moved, and the caller raises its own
 * bar, so the heap stays one monomorphic loop with no callback in it. The wasm twins are assembly/item-knn.ts and
 * assembly/similar-cosine.ts.
 */
import { worse } from "./bounded-heap.js";

export class ItemHeaps<Scores extends Float32Array | Float64Array> {
  constructor(
    readonly k: number,
    readonly scores: Scores,
    readonly idx: Int32Array,
    readonly sizes: Int32Array,
  ) {}

  /** Every heap empty. */
  clear(): void {
    this.sizes.fill(0);
  }

  /** The worst entry item's heap keeps: the score a newcomer must beat once the heap is full. */
  root(item: number): number {
    return this.scores[item * this.k];
  }

  /**
   * Keeps (score, index) in item's heap if it beats the worst entry kept there (or there is room). True when it was
   * kept and the heap is full after it: the root is then new (or newly the bar), so a caller's bar should follow it.
   */
  offer(item: number, score: number, index: number): boolean {
    const { k, scores, idx } = this;
    const base = item * k;
    const size = this.sizes[item];
    if (size < k) {
      let pos = size;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(score, index, scores[base + parent], idx[base + parent])) break;
        scores[base + pos] = scores[base + parent];
        idx[base + pos] = idx[base + parent];
        pos = parent;
      }
      scores[base + pos] = score;
      idx[base + pos] = index;
      this.sizes[item] = size + 1;
      return size + 1 === k;
    }
    if (k === 0 || !worse(scores[base], idx[base], score, index)) return false;
    let pos = 0;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= k) break;
      let c = l;
      const r = l + 1;
      if (r < k && worse(scores[base + r], idx[base + r], scores[base + l], idx[base + l])) c = r;
      if (!worse(scores[base + c], idx[base + c], score, index)) break;
      scores[base + pos] = scores[base + c];
      idx[base + pos] = idx[base + c];
      pos = c;
    }
    scores[base + pos] = score;
    idx[base + pos] = index;
    return true;
  }
}
