/**
 * Similar items for every item at once (cosine of L2-normalised factors, items x items): the readable TypeScript twin
 * of assembly/similar-cosine.ts, and the buffer layout both engines share.
 *
 * Contract (identical for both engines; the result is the brute-force one, bit for bit, for any worker count):
 * - score(i, j) = sum over d of x_i[d] * x_j[d] on the normalised f32 rows, accumulated in f32 in increasing d: the
 *   top-k kernel's score (top-k-dot.ts), which is symmetric bit for bit (an f32 product does not depend on order).
 * - Per item keep the top `k` other items under (score, index), larger first (ties to the larger index); NaN never
 *   enters; an item is never its own neighbour.
 *
 * Why it is faster than the items x items product through the top-k kernel (all norms are 1, so its norm bound
 * prunes nothing), exactly:
 * 1. Symmetry: each unordered pair is scored once (octet blocks P >= o) and offered to both items' heaps.
 * 2. Integer screening: the rows are also held quantised to int16 (round(x * SCALE)), and a wasm
 *    `i32x4.dot_i16x8_s` computes 8 products per instruction, exactly in i32 (no overflow: every partial sum is at
 *    most |q| |p| < 2^31). |A / SCALE^2 - exact| <= sqrt(rank) / SCALE + rank / (4 SCALE^2), and the f32 score is
 *    within (rank + 2) 2^-23 of exact, so a pair whose A is below thr(i) = ceil((heap root - eps) SCALE^2) cannot
 *    enter heap i. Only pairs that pass (a few per item once its heap is full) are scored in f32 and offered.
 * 3. Heaps are per worker (a worker offers to any item's heap, so they cannot be shared); the lists are merged at
 *    the end. The thresholds are shared: each worker raises thr(i) from its own heap's root (a plain store, only
 *    when higher). Any worker's k-th score is at most the global k-th, so a threshold from any of them prunes
 *    exactly, whichever value a racing read sees; the top-k under a total order of the union does not depend on
 *    which worker saw which pair, so the lists are the same for any worker count and any timing.
 *
 * Layout: items padded to a multiple of 8 ("octets"); rank padded to even (rank2) for the int16 pairs.
 * - qRows: int16 [item][rank2], row-major (queries: a 32-bit splat loads dims 2e, 2e+1).
 * - panels: int16 [item / 4][rank2 / 2][lane 0..3][2]: 4 items per vector, 2 dims per lane (dot_i16x8's pairs).
 * - exact: f32 [item][rank], the normalised rows (the scores are computed on these).
 * - thresholds: i32 [nPad], shared by the workers (padding items hold INT32_MAX, so they never pass).
 * - per worker: heap scores f32 [n][k], heap indices i32 [n][k], heap sizes i32 [nPad].
 */

import { worse } from "./bounded-heap.js";
import { ItemHeaps } from "./item-heaps.js";

export const SIMCOS_BASE_OFFSET = 65536; // leave the first 64 KiB of wasm memory to AssemblyScript's own data
/** Quantisation scale: |x| <= 1 (+ f32 slack) maps into int16 with room; products stay below 2^31 (Cauchy-Schwarz). */
export const SIMCOS_SCALE = 32000;
/** Octets of targets per pass (about 256 KiB of int16 panels at rank 64), so they stay in L2 while queries visit them. */
export function simcosBlockOctets(rank2: number): number {
  return Math.max(1, Math.floor((256 * 1024) / (8 * rank2 * 2)));
}
/** Query octets per kernel call: short calls, so V8 tiers the wasm up early (no on-stack replacement for wasm). */
export const SIMCOS_CALL_OCTETS = 32;
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

export interface SimilarCosineLayout {
  n: number;
  nPad: number;
  rank: number;
  rank2: number;
  k: number;
  workers: number;
  qRows: number;
  panels: number;
  exact: number;
  thr: number;
  /** Per worker: heapScore, heapIdx, heapSize at scratch + w * scratchBytesPerWorker. */
  scratch: number;
  scratchBytesPerWorker: number;
  /** Added to a pair's integer estimate / SCALE^2: covers quantisation and the f32 score's rounding. */
  eps: number;
  totalBytes: number;
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

export function planSimilarCosineLayout(n: number, rank: number, k: number, workers: number, base = SIMCOS_BASE_OFFSET): SimilarCosineLayout {
  const nPad = Math.ceil(n / 8) * 8;
  const rank2 = Math.ceil(rank / 2) * 2;
  let at = base;
  const take = (bytes: number): number => {
    const start = at;
    at = align16(at + bytes);
    return start;
  };
  const qRows = take(nPad * rank2 * 2);
  const panels = take(nPad * rank2 * 2);
  const exact = take(n * rank * 4);
  const thr = take(nPad * 4);
  const w = Math.max(1, workers);
  const scratchBytesPerWorker = align16(n * k * 8 + nPad * 4);
  const scratch = take(scratchBytesPerWorker * w);
  // Quantisation: |A - S^2 x.y| <= S/2 (|x|_1 + |y|_1) + rank/4 <= S sqrt(rank) |x|_max-norm + rank/4, |x| <= 1 + 1e-6.
  // The f32 score: within (rank + 2) 2^-23 |x| |y| of x.y (top-k-dot.ts's margin). 1.001 covers the f64 arithmetic.
  const eps = (Math.sqrt(rank) * (1 + 1e-6) * (1 / SIMCOS_SCALE) + rank / (4 * SIMCOS_SCALE * SIMCOS_SCALE) + (rank + 2) * 2 ** -23) * 1.001 + 1e-30;
  return { n, nPad, rank, rank2, k, workers: w, qRows, panels, exact, thr, scratch, scratchBytesPerWorker, eps, totalBytes: at };
}

export interface SimilarCosineViews {
  qRows: Int16Array;
  panels: Int16Array;
  exact: Float32Array;
  thr: Int32Array;
  /** Per worker: its heap per item (item-heaps.ts), f32 scores; sizes are nPad long (the wasm reads padding items). */
  heaps: ItemHeaps<Float32Array>[];
}

export function workerHeapOffsets(l: SimilarCosineLayout, w: number): { heapScore: number; heapIdx: number; heapSize: number } {
  const heapScore = l.scratch + w * l.scratchBytesPerWorker;
  const heapIdx = heapScore + l.n * l.k * 4;
  const heapSize = heapIdx + l.n * l.k * 4;
  return { heapScore, heapIdx, heapSize };
}

export function similarCosineViews(buffer: ArrayBufferLike, l: SimilarCosineLayout): SimilarCosineViews {
  const heaps: ItemHeaps<Float32Array>[] = [];
  for (let w = 0; w < l.workers; w++) {
    const o = workerHeapOffsets(l, w);
    heaps.push(
      new ItemHeaps(
        l.k,
        new Float32Array(buffer, o.heapScore, l.n * l.k),
        new Int32Array(buffer, o.heapIdx, l.n * l.k),
        new Int32Array(buffer, o.heapSize, l.nPad),
      ),
    );
  }
  return {
    qRows: new Int16Array(buffer, l.qRows, l.nPad * l.rank2),
    panels: new Int16Array(buffer, l.panels, l.nPad * l.rank2),
    exact: new Float32Array(buffer, l.exact, l.n * l.rank),
    thr: new Int32Array(buffer, l.thr, l.nPad),
    heaps,
  };
}

/**
 * Fills the layout from normalised rows (row t of `rows`, stride rank, is item index t): the exact f32 rows, their
 * int16 copies (row-major and in panels), and empty heaps. A NaN entry quantises to 0: its f32 scores are NaN, which
 * never enter, so no bound is needed for it.
 */
export function prepareSimilarCosine(rows: Float32Array, v: SimilarCosineViews, l: SimilarCosineLayout): void {
  const { n, rank, rank2 } = l;
  v.exact.set(rows.subarray(0, n * rank));
  v.qRows.fill(0);
  v.panels.fill(0);
  const q16 = v.qRows;
  const panels = v.panels;
  for (let t = 0; t < n; t++) {
    const src = t * rank;
    const dst = t * rank2;
    for (let d = 0; d < rank; d++) {
      // x * SCALE (exact in f64) rounded to nearest: |q - x SCALE| <= 1/2, all the error bound needs. |x| <= 1 + 2^-20
      // keeps it inside int16; the clamp guards the rest, and NaN | 0 is 0. (Math.round here ran 10x slower.)
      const q = Math.floor(rows[src + d] * SIMCOS_SCALE + 0.5);
      q16[dst + d] = q > 32767 ? 32767 : q < -32767 ? -32767 : q | 0;
    }
  }
  // Panels: item t's dims (2e, 2e + 1) at int16 (t >> 2) * rank2 * 4 + e * 8 + (t & 3) * 2.
  const pairs = rank2 >> 1;
  for (let t = 0; t < n; t++) {
    const src = t * rank2;
    let dst = (t >> 2) * rank2 * 4 + (t & 3) * 2;
    for (let e = 0; e < pairs; e++, dst += 8) {
      panels[dst] = q16[src + 2 * e];
      panels[dst + 1] = q16[src + 2 * e + 1];
    }
  }
  for (const h of v.heaps) h.clear();
  v.thr.fill(INT32_MIN, 0, n);
  v.thr.fill(INT32_MAX, n);
}

/** The smallest integer estimate a pair needs to possibly beat a heap whose worst kept score is `root`. */
export function thresholdFor(root: number, eps: number): number {
  const t = (root - eps) * (SIMCOS_SCALE * SIMCOS_SCALE);
  if (!(t > INT32_MIN)) return INT32_MIN;
  if (t > INT32_MAX) return INT32_MAX;
  return Math.ceil(t);
}

/** Raises item i's shared threshold to what heap root `root` allows, if that is higher. */
function raise(thr: Int32Array, i: number, root: number, eps: number): void {
  const t = thresholdFor(root, eps);
  if (t > thr[i]) thr[i] = t;
}

/** Offers (score, j) to item i's heap in worker heaps h (NaN never enters), raising its threshold in step. */
function offer(h: ItemHeaps<Float32Array>, thr: Int32Array, eps: number, i: number, score: number, j: number): void {
  if (score !== score) return;
  if (h.offer(i, score, j)) raise(thr, i, h.root(i), eps);
}

/**
 * The TypeScript engine: query octets [oStart, oEnd) against target octets P in [max(o, pStart), pEnd), into worker
 * w's heaps. A diagonal octet (P = o) is scored in full and offered to the query side only; the others to both.
 */
export function similarCosineBlocks(
  v: SimilarCosineViews,
  l: SimilarCosineLayout,
  w: number,
  oStart: number,
  oEnd: number,
  pStart: number,
  pEnd: number,
): void {
  const { n, rank, rank2 } = l;
  const h = v.heaps[w];
  const thr = v.thr;
  const f = Math.fround;
  const q16 = v.qRows;
  const ex = v.exact;
  for (let o = oStart; o < oEnd; o++) {
    for (let i = 8 * o; i < 8 * o + 8; i++) {
      for (let P = Math.max(o, pStart); P < pEnd; P++) {
        const diag = P === o;
        for (let j = 8 * P; j < 8 * P + 8; j++) {
          let a = 0;
          for (let d = 0; d < rank2; d++) a += q16[i * rank2 + d] * q16[j * rank2 + d];
          const qPass = a >= thr[i] && i < n && j < n && i !== j;
          const tPass = !diag && a >= thr[j] && i < n && j < n;
          if (!qPass && !tPass) continue;
          let score = 0;
          for (let d = 0; d < rank; d++) score = f(score + f(ex[i * rank + d] * ex[j * rank + d]));
          if (qPass) offer(h, thr, l.eps, i, score, j);
          if (tPass) offer(h, thr, l.eps, j, score, i);
        }
      }
    }
  }
}

/**
 * Merges the workers' heaps into sorted lists: out row i holds min(k, entries) target indices, best first, then -1
 * / NaN. The top k under a total order of the union does not depend on how the pairs were split.
 */
export function mergeSimilarCosine(v: SimilarCosineViews, l: SimilarCosineLayout, outIdx: Int32Array, outScores: Float32Array, counts: Int32Array): void {
  const { n, k } = l;
  const candS = new Float64Array(k * v.heaps.length);
  const candI = new Int32Array(k * v.heaps.length);
  const sizes = v.heaps.map((h) => h.sizes);
  const scores = v.heaps.map((h) => h.scores);
  const idx = v.heaps.map((h) => h.idx);
  for (let i = 0; i < n; i++) {
    // Insertion sort of every worker's entries for item i, best first: at most k * workers entries.
    let m = 0;
    for (let w = 0; w < sizes.length; w++) {
      for (let e = 0, size = sizes[w][i]; e < size; e++) {
        const sc = scores[w][i * k + e];
        const ix = idx[w][i * k + e];
        let b = m++;
        while (b > 0 && worse(candS[b - 1], candI[b - 1], sc, ix)) {
          candS[b] = candS[b - 1];
          candI[b] = candI[b - 1];
          b--;
        }
        candS[b] = sc;
        candI[b] = ix;
      }
    }
    const c = Math.min(k, m);
    for (let e = 0; e < k; e++) {
      outIdx[i * k + e] = e < c ? candI[e] : -1;
      outScores[i * k + e] = e < c ? candS[e] : NaN;
    }
    counts[i] = c;
  }
}
