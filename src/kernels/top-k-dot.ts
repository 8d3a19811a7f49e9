/**
 * Top-k recommendation by dot product: the readable TypeScript twin of assembly/top-k-dot.ts, and the buffer layout both
 * engines share (so a worker can run either engine on the same bytes).
 *
 * Contract (identical for both engines, so their outputs are identical bit for bit):
 * - score(q, t) = sum over d of q[d] * t[d], accumulated in float32 in increasing d. This is Spark's ALSModel
 *   predict order; recommendForAll's sgemv may round differently in the last bit.
 * - Per query, keep the top `num` targets under the order (score, target index), larger first; ties therefore go
 *   to the larger index, which is the larger id when targets are sorted by id (Spark's collect_top_k order).
 *   NaN scores never enter. Targets in the query's exclusion row (sorted target indices) are never returned.
 * - Output row q: `count = min(num, eligible targets)` entries best first, then -1 / NaN padding.
 *
 * Targets are stored as "panels" of 4: f32 [panel][d][lane], with the target count padded to a multiple of 8
 * (padding lanes are zero and never reported), so the SIMD kernel computes 4 target scores per vector.
 *
 * Exact pruning (LEMP/FEXIPRO's norm bound): panel slots hold the targets sorted by norm, largest first
 * (slotTarget[slot] = the target index a slot reports). By Cauchy-Schwarz no target of stripe s (32 slots) or later
 * scores above queryBounds[q] * stripeNorms[s] + BOUND_FLOOR, where queryBounds folds the worst f32 rounding of a
 * rank-term dot product into |q|. Once that bound is below a query's current k-th score nothing later can enter its
 * heap, so the scan stops. The k-th score only rises, so where a scan stops never changes the result: it is brute
 * force's, ties included. Random factors (equal norms) prune little; fitted factors, whose norms vary, prune a lot.
 */

import { BoundedHeap } from "./bounded-heap.js";

export const TOPK_BASE_OFFSET = 65536; // leave the first 64 KiB of wasm memory to AssemblyScript's own data
export const TOPK_CHUNK_QUERIES = 256; // queries per kernel call: bounded scratch, and V8 tiers the wasm up early
/** Targets per pruning stripe (8 panels): the bound is checked once per stripe, amortised over its score tiles. */
export const TOPK_STRIPE_TARGETS = 32;
/** Added to every bound: covers products that underflow to subnormals, where relative error bounds fail. */
export const TOPK_BOUND_FLOOR = 1e-30;

export interface TopKProblem {
  nQueries: number;
  nTargets: number;
  rank: number;
  num: number;
  /** Number of (query, target) exclusion entries, or -1 for no exclusion. */
  exclusionNnz: number;
  workers: number;
}

/** Byte offsets of every array in the shared buffer (16-byte aligned). */
export interface TopKLayout extends TopKProblem {
  queries: number;
  panels: number;
  /** Int32 per padded slot: the target index the slot reports (targets sorted by norm, largest first). */
  slotTarget: number;
  /** Float64 per stripe: the largest target norm from that stripe on (the norm of its first slot). */
  stripeNorms: number;
  /** Float64 per query: |q| scaled up by the worst relative f32 rounding of its dot products. */
  queryBounds: number;
  exclIndptr: number;
  exclIndices: number;
  outIdx: number;
  outScores: number;
  /** Per-worker scratch: heap scores, heap indices, heap sizes, thresholds, stop flags. */
  scratch: number;
  scratchBytesPerWorker: number;
  chunk: number;
  totalBytes: number;
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

export function paddedTargetCount(nTargets: number): number {
  return Math.ceil(nTargets / 8) * 8;
}

export function stripeCount(nTargets: number): number {
  return Math.ceil(nTargets / TOPK_STRIPE_TARGETS);
}

export function planTopKLayout(p: TopKProblem, base = TOPK_BASE_OFFSET, chunk = TOPK_CHUNK_QUERIES): TopKLayout {
  let at = base;
  const take = (bytes: number): number => {
    const start = at;
    at = align16(at + bytes);
    return start;
  };
  const queries = take(p.nQueries * p.rank * 4);
  const panels = take(paddedTargetCount(p.nTargets) * p.rank * 4);
  const slotTarget = take(paddedTargetCount(p.nTargets) * 4);
  const stripeNorms = take(stripeCount(p.nTargets) * 8);
  const queryBounds = take(p.nQueries * 8);
  const hasExcl = p.exclusionNnz >= 0;
  const exclIndptr = take(hasExcl ? (p.nQueries + 1) * 4 : 0);
  const exclIndices = take(hasExcl ? p.exclusionNnz * 4 : 0);
  const outIdx = take(p.nQueries * p.num * 4);
  const outScores = take(p.nQueries * p.num * 4);
  const scratchBytesPerWorker = align16(chunk * p.num * 8 + chunk * 12);
  const scratch = take(scratchBytesPerWorker * Math.max(1, p.workers));
  return {
    ...p,
    queries,
    panels,
    slotTarget,
    stripeNorms,
    queryBounds,
    exclIndptr,
    exclIndices,
    outIdx,
    outScores,
    scratch,
    scratchBytesPerWorker,
    chunk,
    totalBytes: at,
  };
}

/** Typed-array views of a layout over its buffer. */
export interface TopKViews {
  queries: Float32Array;
  panels: Float32Array;
  slotTarget: Int32Array;
  stripeNorms: Float64Array;
  queryBounds: Float64Array;
  exclIndptr: Int32Array | null;
  exclIndices: Int32Array | null;
  outIdx: Int32Array;
  outScores: Float32Array;
}

export function topKViews(buffer: ArrayBufferLike, l: TopKLayout): TopKViews {
  const hasExcl = l.exclusionNnz >= 0;
  return {
    queries: new Float32Array(buffer, l.queries, l.nQueries * l.rank),
    panels: new Float32Array(buffer, l.panels, paddedTargetCount(l.nTargets) * l.rank),
    slotTarget: new Int32Array(buffer, l.slotTarget, paddedTargetCount(l.nTargets)),
    stripeNorms: new Float64Array(buffer, l.stripeNorms, stripeCount(l.nTargets)),
    queryBounds: new Float64Array(buffer, l.queryBounds, l.nQueries),
    exclIndptr: hasExcl ? new Int32Array(buffer, l.exclIndptr, l.nQueries + 1) : null,
    exclIndices: hasExcl ? new Int32Array(buffer, l.exclIndices, l.exclusionNnz) : null,
    outIdx: new Int32Array(buffer, l.outIdx, l.nQueries * l.num),
    outScores: new Float32Array(buffer, l.outScores, l.nQueries * l.num),
  };
}

/** Euclidean norm of row r (stride rank), in f64: far more accurate than the f32 margin the bound allows for. */
function rowNorm(m: Float32Array, r: number, rank: number): number {
  let s = 0;
  for (let d = 0; d < rank; d++) s += m[r * rank + d] * m[r * rank + d];
  return Math.sqrt(s);
}

/**
 * Fills the target side of a layout: slots sorted by norm (largest first, ties by target index), panels of 4 in
 * slot order, slotTarget and stripeNorms. Target index t is row targetRows[t] of `targets` (e.g. targets sorted by
 * id), or row t without targetRows.
 */
export function prepareTargets(targets: Float32Array, v: TopKViews, l: TopKLayout, targetRows?: Int32Array): void {
  const { nTargets, rank } = l;
  const row = (t: number): number => (targetRows ? targetRows[t] : t);
  const norms = new Float64Array(nTargets);
  for (let t = 0; t < nTargets; t++) norms[t] = rowNorm(targets, row(t), rank);
  // NaN norms (NaN factors) sort first: their bound is NaN, which never prunes, so they are scored like the rest.
  const key = (t: number): number => (Number.isNaN(norms[t]) ? Infinity : norms[t]);
  const slots = Int32Array.from({ length: nTargets }, (_, t) => t).sort((a, b) => key(b) - key(a) || a - b);
  v.slotTarget.fill(-1);
  v.slotTarget.set(slots);
  for (let s = 0; s < v.stripeNorms.length; s++) v.stripeNorms[s] = norms[slots[s * TOPK_STRIPE_TARGETS]];
  const rows = Int32Array.from(slots, row);
  packTargetPanels(targets, nTargets, rank, v.panels, rows);
}

/** Fills the query side of a layout: the queries (row-major) and their bounds. */
export function prepareQueries(queries: Float32Array, v: TopKViews, l: TopKLayout): void {
  v.queries.set(queries.subarray(0, l.nQueries * l.rank));
  // |computed score - exact score| <= gamma_rank * sum |q_d t_d| <= gamma_rank |q| |t|, gamma_n = n u / (1 - n u),
  // u = 2^-24 (recursive f32 summation); (rank + 2) 2^-23 is over twice that, and covers the f64 norms' error too.
  const margin = 1 + (l.rank + 2) * 2 ** -23;
  for (let q = 0; q < l.nQueries; q++) v.queryBounds[q] = rowNorm(queries, q, l.rank) * margin;
}

/**
 * Row-major targets (stride `rank`) into panels of 4: out[(p * rank + d) * 4 + lane] = row (4p + lane), where
 * row t is targets[order[t]] when an order is given, else targets[t].
 */
export function packTargetPanels(targets: Float32Array, nTargets: number, rank: number, out: Float32Array, order?: Int32Array): void {
  out.fill(0);
  for (let t = 0; t < nTargets; t++) {
    const base = (t >> 2) * rank * 4 + (t & 3);
    const row = (order ? order[t] : t) * rank;
    for (let d = 0; d < rank; d++) out[base + d * 4] = targets[row + d];
  }
}

function isExcluded(indices: Int32Array, from: number, to: number, idx: number): boolean {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = indices[mid];
    if (v === idx) return true;
    if (v < idx) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The TypeScript engine: top `num` targets for queries [qStart, qEnd) of the views (see the contract above).
 * `stats.scored`, when given, counts the (query, target) pairs scored, so tests and benchmarks can see the pruning.
 */
export function topKDot(v: TopKViews, l: TopKLayout, qStart: number, qEnd: number, stats?: { scored: number }): void {
  const { rank, num, nTargets } = l;
  const f = Math.fround;
  const heap = new BoundedHeap(Math.min(num, nTargets));
  const exclIndptr = v.exclIndptr;
  const exclIndices = v.exclIndices;
  for (let q = qStart; q < qEnd; q++) {
    const qRow = q * rank;
    if (heap.capacity > 0) {
      for (let slot = 0; slot < nTargets; slot++) {
        if (slot % TOPK_STRIPE_TARGETS === 0 && heap.size === heap.capacity) {
          const bound = v.queryBounds[q] * v.stripeNorms[slot / TOPK_STRIPE_TARGETS] + TOPK_BOUND_FLOOR;
          if (bound < heap.scores[0]) break;
        }
        if (stats) stats.scored++;
        const base = (slot >> 2) * rank * 4 + (slot & 3);
        let score = 0;
        for (let d = 0; d < rank; d++) score = f(score + f(v.queries[qRow + d] * v.panels[base + d * 4]));
        const t = v.slotTarget[slot];
        if (score !== score || !heap.admits(score, t)) continue;
        if (exclIndptr && exclIndices && isExcluded(exclIndices, exclIndptr[q], exclIndptr[q + 1], t)) continue;
        heap.offer(score, t);
      }
    }
    heap.drainInto(v.outIdx, v.outScores, q * num, num);
  }
}
