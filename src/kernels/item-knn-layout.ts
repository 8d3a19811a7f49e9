/**
 * Buffer layouts of the item-knn kernels (item-knn.ts and its wasm engine, assembly/item-knn.ts): byte offsets of
 * every array in one shared buffer, so the main thread fills inputs in place and each worker writes its own rows.
 *
 * Neighbours (fit): the rating rows first (CSR: rowPtr, rowItems, rowRatings, written there by ratingRowsInto and
 * kept by the model afterwards), then the weighted matrix twice, user-major (rowVals: the rows' own ratings when
 * there is no weighting) and item-major (CSC: colPtr, colVals, and for each column entry colRowPos and colRowEnd:
 * where it sits in its user's row and where that row ends), norms[i] per item, out k neighbours per item. Each worker slot's scratch: an f64 accumulator
 * over all items, a heap of k per item (item-knn.ts's NeighbourHeaps: item-heaps.ts's scores, indices and sizes, and floors) and one heap of k to merge in.
 * Recommend: each user's raw ratings (CSR; inside a fitted model's memory, the fit's own rows), the neighbour lists
 * (k per item, -1 / NaN padded), the query users' rows, an optional exclusion CSR over users, out `num` per query.
 * Its worker slots' scratch: an f64 accumulator over all items and a heap of (f64 score, i32 index).
 */

export const ITEM_KNN_BASE_OFFSET = 65536; // the first 64 KiB of wasm memory belong to AssemblyScript's own data
/** Rows per claimed chunk: small enough to balance popular (expensive) items, large enough to amortise the claim. */
export const ITEM_KNN_CHUNK_ROWS = 32;

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

function allocator(base: number): { take: (bytes: number) => number; end: () => number } {
  let at = base;
  return {
    take(bytes: number): number {
      const start = at;
      at = align16(at + bytes);
      return start;
    },
    end: () => at,
  };
}

export interface NeighbourProblem {
  nUsers: number;
  nItems: number;
  /** Room for this many entries (the input count, before duplicates are summed); views show the first `nnz`. */
  nnz: number;
  /** Weighted values differ from the ratings (tfidf, bm25) and need their own copy. */
  weighted: boolean;
  /** Neighbours kept per item (the item itself is never one). */
  k: number;
  workers: number;
}

export interface NeighbourLayout extends NeighbourProblem {
  rowPtr: number;
  rowItems: number;
  rowRatings: number;
  /** The first byte after the rating rows: what a recommend job in this memory may overwrite. */
  afterRows: number;
  colPtr: number;
  colRowEnd: number;
  colVals: number;
  colRowPos: number;
  rowVals: number;
  norms: number;
  outIdx: number;
  outScores: number;
  /** Int32 [0]: the next chunk to claim. */
  control: number;
  scratch: number;
  scratchBytesPerWorker: number;
  totalBytes: number;
}

export function planNeighbourLayout(p: NeighbourProblem, base = ITEM_KNN_BASE_OFFSET): NeighbourLayout {
  const a = allocator(base);
  // the entry-sized rows first: their offsets do not depend on the user count, so the dense ids can be written
  // there (ratingRowsInto's input) before the counts are known (see entryRegions)
  const rowItems = a.take(p.nnz * 4);
  const rowRatings = a.take(p.nnz * 4);
  const rowPtr = a.take((p.nUsers + 1) * 4);
  const afterRows = a.end();
  const rowVals = p.weighted ? a.take(p.nnz * 4) : rowRatings;
  const colPtr = a.take((p.nItems + 1) * 4);
  const colRowEnd = a.take(p.nnz * 4);
  const colVals = a.take(p.nnz * 4);
  const colRowPos = a.take(p.nnz * 4);
  const norms = a.take(p.nItems * 8);
  return {
    ...p,
    rowPtr,
    rowItems,
    rowRatings,
    afterRows,
    colPtr,
    colRowEnd,
    colVals,
    colRowPos,
    rowVals,
    norms,
    ...outputsAndScratch(a, p.nItems, p.k, neighbourScratchBytes(p.nItems, p.k), p.workers),
  };
}

/** What both jobs end with: `rows` output rows of `width` (i32 index, f32 score), the claim counter, per-worker scratch. */
function outputsAndScratch(a: ReturnType<typeof allocator>, rows: number, width: number, scratchBytesPerWorker: number, workers: number) {
  const outIdx = a.take(rows * width * 4);
  const outScores = a.take(rows * width * 4);
  const control = a.take(16);
  const scratch = a.take(scratchBytesPerWorker * Math.max(1, workers));
  return { outIdx, outScores, control, scratch, scratchBytesPerWorker, totalBytes: a.end() };
}

/** Where planNeighbourLayout puts rowItems and rowRatings for `nnz` entries, whatever the user and item counts. */
export function entryRegions(nnz: number, base = ITEM_KNN_BASE_OFFSET): { rowItems: number; rowRatings: number; end: number } {
  const a = allocator(base);
  const rowItems = a.take(nnz * 4);
  const rowRatings = a.take(nnz * 4);
  return { rowItems, rowRatings, end: a.end() };
}

export interface NeighbourViews {
  colPtr: Int32Array;
  colRowEnd: Int32Array;
  colVals: Float32Array;
  colRowPos: Int32Array;
  rowPtr: Int32Array;
  rowItems: Int32Array;
  rowRatings: Float32Array;
  rowVals: Float32Array;
  norms: Float64Array;
  outIdx: Int32Array;
  outScores: Float32Array;
  control: Int32Array;
}

export function neighbourViews(buffer: ArrayBufferLike, l: NeighbourLayout): NeighbourViews {
  return {
    colPtr: new Int32Array(buffer, l.colPtr, l.nItems + 1),
    colRowEnd: new Int32Array(buffer, l.colRowEnd, l.nnz),
    colVals: new Float32Array(buffer, l.colVals, l.nnz),
    colRowPos: new Int32Array(buffer, l.colRowPos, l.nnz),
    rowPtr: new Int32Array(buffer, l.rowPtr, l.nUsers + 1),
    rowItems: new Int32Array(buffer, l.rowItems, l.nnz),
    rowRatings: new Float32Array(buffer, l.rowRatings, l.nnz),
    rowVals: new Float32Array(buffer, l.rowVals, l.nnz),
    norms: new Float64Array(buffer, l.norms, l.nItems),
    outIdx: new Int32Array(buffer, l.outIdx, l.nItems * l.k),
    outScores: new Float32Array(buffer, l.outScores, l.nItems * l.k),
    control: new Int32Array(buffer, l.control, 4),
  };
}

export interface RecommendProblem {
  nUsers: number;
  nItems: number;
  nnz: number;
  /** Neighbour-list stride (the fitted k). */
  k: number;
  nQueries: number;
  num: number;
  /** Number of excluded (user, item) entries, or -1 for no exclusion. */
  exclusionNnz: number;
  workers: number;
}

export interface RecommendLayout extends RecommendProblem {
  rowPtr: number;
  rowItems: number;
  rowRatings: number;
  nbrIdx: number;
  nbrSim: number;
  nbrCount: number;
  queryRows: number;
  exclIndptr: number;
  exclIndices: number;
  outIdx: number;
  outScores: number;
  control: number;
  scratch: number;
  scratchBytesPerWorker: number;
  totalBytes: number;
}

/** Where the rating rows already are (a fitted model's memory) and the first byte free after them. */
export interface RowsInPlace {
  rowPtr: number;
  rowItems: number;
  rowRatings: number;
  afterRows: number;
}

/** A fresh layout, or (with `rows`) one beside rating rows already in place, which are then not copied. */
export function planRecommendLayout(p: RecommendProblem, rows?: RowsInPlace): RecommendLayout {
  const a = allocator(rows ? align16(rows.afterRows) : ITEM_KNN_BASE_OFFSET);
  const rowPtr = rows ? rows.rowPtr : a.take((p.nUsers + 1) * 4);
  const rowItems = rows ? rows.rowItems : a.take(p.nnz * 4);
  const rowRatings = rows ? rows.rowRatings : a.take(p.nnz * 4);
  const nbrIdx = a.take(p.nItems * p.k * 4);
  const nbrSim = a.take(p.nItems * p.k * 4);
  const nbrCount = a.take(p.nItems * 4);
  const queryRows = a.take(p.nQueries * 4);
  const hasExcl = p.exclusionNnz >= 0;
  const exclIndptr = a.take(hasExcl ? (p.nUsers + 1) * 4 : 0);
  const exclIndices = a.take(hasExcl ? p.exclusionNnz * 4 : 0);
  return {
    ...p,
    rowPtr,
    rowItems,
    rowRatings,
    nbrIdx,
    nbrSim,
    nbrCount,
    queryRows,
    exclIndptr,
    exclIndices,
    ...outputsAndScratch(a, p.nQueries, p.num, align16(p.nItems * 8 + p.num * 12), p.workers),
  };
}

export interface RecommendViews {
  rowPtr: Int32Array;
  rowItems: Int32Array;
  rowRatings: Float32Array;
  nbrIdx: Int32Array;
  nbrSim: Float32Array;
  nbrCount: Int32Array;
  queryRows: Int32Array;
  exclIndptr: Int32Array | null;
  exclIndices: Int32Array | null;
  outIdx: Int32Array;
  outScores: Float32Array;
  control: Int32Array;
}

export function recommendViews(buffer: ArrayBufferLike, l: RecommendLayout): RecommendViews {
  const hasExcl = l.exclusionNnz >= 0;
  return {
    rowPtr: new Int32Array(buffer, l.rowPtr, l.nUsers + 1),
    rowItems: new Int32Array(buffer, l.rowItems, l.nnz),
    rowRatings: new Float32Array(buffer, l.rowRatings, l.nnz),
    nbrIdx: new Int32Array(buffer, l.nbrIdx, l.nItems * l.k),
    nbrSim: new Float32Array(buffer, l.nbrSim, l.nItems * l.k),
    nbrCount: new Int32Array(buffer, l.nbrCount, l.nItems),
    queryRows: new Int32Array(buffer, l.queryRows, l.nQueries),
    exclIndptr: hasExcl ? new Int32Array(buffer, l.exclIndptr, l.nUsers + 1) : null,
    exclIndices: hasExcl ? new Int32Array(buffer, l.exclIndices, l.exclusionNnz) : null,
    outIdx: new Int32Array(buffer, l.outIdx, l.nQueries * l.num),
    outScores: new Float32Array(buffer, l.outScores, l.nQueries * l.num),
    control: new Int32Array(buffer, l.control, 4),
  };
}

/** Scratch of worker slot `slot`: the accumulator over all items, then heap scores (f64) and heap indices (i32). */
export function scratchOffsets(
  scratch: number,
  bytesPerWorker: number,
  slot: number,
  nItems: number,
  heapCap: number,
): { acc: number; heapScore: number; heapIdx: number } {
  const acc = scratch + slot * bytesPerWorker;
  const heapScore = acc + nItems * 8;
  const heapIdx = heapScore + heapCap * 8;
  return { acc, heapScore, heapIdx };
}

/** Bytes of one neighbour worker slot (neighbourScratchOffsets): 8 a item twice, 12 a heap entry, 4 a heap size. */
function neighbourScratchBytes(nItems: number, k: number): number {
  return align16(nItems * 8 * 2 + nItems * k * 12 + nItems * 4 + k * 12);
}

/** Scratch of a neighbour job's worker slot: the f64 arrays first (8-byte aligned), then the i32 ones. */
export interface NeighbourScratch {
  acc: number;
  /** The per-item heaps (item-knn.ts's NeighbourHeaps): nItems * k scores, nItems floors, nItems * k indices, nItems sizes. */
  heapScores: number;
  heapFloors: number;
  heapIdx: number;
  heapSizes: number;
  /** The heap of k that phase 2 merges an item's lists in. */
  mergeScore: number;
  mergeIdx: number;
}

export function neighbourScratchOffsets(l: NeighbourLayout, slot: number): NeighbourScratch {
  const acc = l.scratch + slot * l.scratchBytesPerWorker;
  const heapScores = acc + l.nItems * 8;
  const heapFloors = heapScores + l.nItems * l.k * 8;
  const mergeScore = heapFloors + l.nItems * 8;
  const heapIdx = mergeScore + l.k * 8;
  const heapSizes = heapIdx + l.nItems * l.k * 4;
  const mergeIdx = heapSizes + l.nItems * 4;
  return { acc, heapScores, heapFloors, heapIdx, heapSizes, mergeScore, mergeIdx };
}
