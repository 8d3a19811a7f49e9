/**
 * One bounded heap per item, in flat arrays (a worker slot's scratch in item-knn's shared memory): item-knn's pair
 * kernel (item-knn.ts) computes each pair (i, j) once and offers it to both i's and j's heaps, so a worker needs a heap
 * for every item, not only for the row it is on. Item j's heap is the k entries at [j*k, j*k + sizes[j]) of
 * scores / idx, a binary min-heap under bounded-heap.ts's order ("higher score, then higher index, is better") whose
 * root, the worst entry kept, is at j*k; floors[j] is the root's score once the heap is full, -Infinity until then,
 * so the early reject reads one dense array instead of a heap each. The wasm twin is assembly/item-knn.ts.
 */
import { worse } from "./bounded-heap.js";

export class ItemHeaps {
  constructor(
    readonly k: number,
    readonly scores: Float64Array,
    readonly idx: Int32Array,
    readonly sizes: Int32Array,
    readonly floors: Float64Array,
  ) {}

  /** Every heap empty. */
  clear(): void {
    this.sizes.fill(0);
    this.floors.fill(-Infinity);
  }

  /** Keeps (score, index) in item's heap if it beats the worst entry kept there (or there is room). */
  offer(item: number, score: number, index: number): void {
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
    } else if (k > 0 && worse(scores[base], idx[base], score, index)) {
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
    } else return;
    if (this.sizes[item] === k) this.floors[item] = scores[base];
  }
}
