/**
 * The bounded min-heap the TypeScript kernels keep their top k in (top-k-dot.ts for ALS factors, item-knn.ts for item
 * neighbours): entries (score, index) under the order "higher score, then higher index, is better", the root being the
 * worst entry kept, so a candidate only has to beat the root. Scores are held in f64: item-knn's are f64 sums and
 * top-k-dot's are f32 values, which an f64 holds exactly, so both kernels compare exactly what their wasm twins do.
 */

/** (sa, ia) ranks below (sb, ib): lower score, or equal score and lower index. */
export function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia < ib);
}

export class BoundedHeap {
  readonly scores: Float64Array;
  readonly idx: Int32Array;
  size = 0;
  constructor(readonly capacity: number) {
    this.scores = new Float64Array(Math.max(1, capacity));
    this.idx = new Int32Array(Math.max(1, capacity));
  }

  /** Would (score, index) be kept? */
  admits(score: number, index: number): boolean {
    return this.size < this.capacity || (this.capacity > 0 && worse(this.scores[0], this.idx[0], score, index));
  }

  /** Keeps (score, index) if it beats the worst entry kept (or there is room). */
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

  /** Empties the heap into out[offset ..], best first (scores rounded to f32), and pads the row to `width` with -1 / NaN. */
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
