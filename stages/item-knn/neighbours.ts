/**
 * item-knn's two hot paths on the kernels (src/kernels/item-knn*.ts) and the worker pool: fitting the k neighbours
 * of every item, and top-N recommendations from those lists. Inputs are written straight into one shared memory.
 * A fit sorts the ratings into that memory and the model keeps it: its rating rows are views on it, and its
 * recommend jobs run in the same memory, over the fit's item-major copy, so the rows are never copied (at
 * MovieLens-25M's size, each copy of the rows is 200 MB). Identical bytes for any worker count.
 */
import { allocateItemKnnShared, growItemKnnShared, itemKnnBuffer, type ItemKnnEngine, type ItemKnnShared } from "../../src/kernels/item-knn-wasm.js";
import { denseIndex } from "../../src/kernels/dense-ids.js";
import {
  entryRegions,
  ITEM_KNN_CHUNK_ROWS,
  neighbourViews,
  planNeighbourLayout,
  planRecommendLayout,
  recommendViews,
  type NeighbourLayout,
  type RowsInPlace,
} from "../../src/kernels/item-knn-layout.js";
import { fillWeightedMatrix, ratingRowsInto, type ItemKnnWeighting, type RatingRows } from "../../src/kernels/item-knn-matrix.js";
import { runItemKnnJob } from "../../src/workers/item-knn-pool.js";

/** k neighbours per item (dense item indices, most similar first): row i is idx/sims[i*k .. i*k + counts[i]), then -1 / NaN. */
export interface NeighbourLists {
  k: number;
  idx: Int32Array;
  sims: Float32Array;
  counts: Int32Array;
}

export interface NeighbourParams {
  k: number;
  shrinkage: number;
  weighting: ItemKnnWeighting;
  K1: number;
  B: number;
}

export interface KernelOptions {
  workers: number;
  engine?: ItemKnnEngine;
}

/** A fitted model's kernel memory: where its rating rows live; recommend jobs on it run one at a time. */
export interface KernelHome extends RowsInPlace {
  shared: ItemKnnShared;
  /** The last job queued on this memory. */
  busy: Promise<unknown>;
}

/** The excluded (user, item) pairs: a CSR over users (dense indices); `writeIndices` fills the nnz item indices. */
export interface ExclusionRows {
  indptr: Int32Array;
  nnz: number;
  writeIndices(into: Int32Array): void;
}

export function exclusionFromArrays(indptr: Int32Array, indices: Int32Array): ExclusionRows {
  return { indptr, nnz: indices.length, writeIndices: (into) => into.set(indices) };
}

function threadsFor(workers: number, rows: number): number {
  return Math.max(1, Math.min(Math.floor(workers), Math.ceil(rows / ITEM_KNN_CHUNK_ROWS)));
}

function countsOf(idx: Int32Array, rows: number, width: number): Int32Array {
  const counts = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let c = 0;
    while (c < width && idx[r * width + c] >= 0) c++;
    counts[r] = c;
  }
  return counts;
}

async function runNeighbours(shared: ItemKnnShared, layout: NeighbourLayout, m: RatingRows, p: NeighbourParams, threads: number): Promise<NeighbourLists> {
  const v = neighbourViews(itemKnnBuffer(shared), layout);
  fillWeightedMatrix(m, p.weighting, p.K1, p.B, v);
  await runItemKnnJob(shared, { kind: "neighbours", layout, shrinkage: p.shrinkage }, threads);
  const idx = v.outIdx.slice();
  return { k: p.k, idx, sims: v.outScores.slice(), counts: countsOf(idx, m.nItems, p.k) };
}

/** The neighbours of rating rows held anywhere (a loaded model, a test): the rows are copied into a fresh memory. */
export async function fitNeighbours(m: RatingRows, p: NeighbourParams, o: KernelOptions): Promise<NeighbourLists> {
  const threads = threadsFor(o.workers, m.nItems);
  const layout = planNeighbourLayout({
    nUsers: m.nUsers,
    nItems: m.nItems,
    nnz: m.rowItems.length,
    weighted: p.weighting !== "none",
    k: p.k,
    workers: threads,
  });
  const shared = allocateItemKnnShared(o.engine ?? "wasm", layout.totalBytes, threads);
  return runNeighbours(shared, layout, m, p, threads);
}

/** A fit whose rating rows are already sorted into its kernel memory (prepareFitFromEntries), ready to run. */
export interface PreparedFit {
  shared: ItemKnnShared;
  layout: NeighbourLayout;
  rows: RatingRows;
  params: NeighbourParams;
  threads: number;
}

/**
 * Dense indices for (user, item, rating) entries (ids ascending, as denseIndex gives them), sorted into a fresh kernel
 * memory as rating rows (duplicates summed), without a copy of the entries outside it: the dense indices are written
 * where the rows will go (entryRegions: their place does not depend on the id counts), the sort's staging goes where
 * the item-major copy will go, and a wasm memory then grows to the whole layout. The TypeScript engine's buffer
 * cannot grow: its dense indices are ordinary arrays. Synchronous, so that nothing of this outlives the call.
 */
export function prepareFitFromIds(
  users: Int32Array,
  items: Int32Array,
  rating: Float32Array,
  params: NeighbourParams,
  o: KernelOptions,
): { userIds: Int32Array; itemIds: Int32Array; fit: PreparedFit } {
  const n = users.length;
  const engine = o.engine ?? "wasm";
  const first = engine === "wasm" ? allocateItemKnnShared(engine, entryRegions(n).end, 2) : null;
  const regions = entryRegions(n);
  const userOf = first ? new Int32Array(itemKnnBuffer(first), regions.rowItems, n) : new Int32Array(n);
  const itemOf = first ? new Int32Array(itemKnnBuffer(first), regions.rowRatings, n) : new Int32Array(n);
  const userIds = denseIndex(users, userOf);
  const itemIds = denseIndex(items, itemOf);
  const nUsers = userIds.length;
  const nItems = itemIds.length;
  const threads = threadsFor(o.workers, nItems);
  const room = planNeighbourLayout({ nUsers, nItems, nnz: n, weighted: params.weighting !== "none", k: params.k, workers: threads });
  const shared = first ? growItemKnnShared(first, room.totalBytes) : allocateItemKnnShared(engine, room.totalBytes, threads);
  if (!shared) throw new RangeError(`item-knn needs ${room.totalBytes} bytes of wasm memory; wasm32 allows at most 4 GiB`);
  const buffer = itemKnnBuffer(shared);
  const staging = { users: new Int32Array(buffer, room.colRowEnd, n), ratings: new Float32Array(buffer, room.colVals, n) };
  const nnz = ratingRowsInto(userOf, itemOf, rating, nUsers, nItems, neighbourViews(buffer, room), staging);
  const layout = { ...room, nnz };
  const v = neighbourViews(buffer, layout);
  const fit = { shared, layout, rows: { nUsers, nItems, rowPtr: v.rowPtr, rowItems: v.rowItems, rowRatings: v.rowRatings }, params, threads };
  return { userIds, itemIds, fit };
}

/** Runs a prepared fit; the rows stay views on its memory, which becomes their home. */
export async function fitPrepared(f: PreparedFit): Promise<{ rows: RatingRows; neighbours: NeighbourLists; home: KernelHome }> {
  const { shared, layout, rows } = f;
  const neighbours = await runNeighbours(shared, layout, rows, f.params, f.threads);
  const home: KernelHome = {
    shared,
    rowPtr: layout.rowPtr,
    rowItems: layout.rowItems,
    rowRatings: layout.rowRatings,
    afterRows: layout.afterRows,
    busy: Promise.resolve(),
  };
  return { rows, neighbours, home };
}

/** Top-N lists (dense item indices) for the users at `queryRows` (rows of m, or -1: an empty list). */
export interface DenseTopN {
  idx: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
}

/** Top-N from the neighbour lists; with `home` (m's own kernel memory) in that memory, one job at a time. */
export async function recommendFromNeighbours(
  m: RatingRows,
  nbrs: NeighbourLists,
  queryRows: Int32Array,
  num: number,
  exclusion: ExclusionRows | null,
  o: KernelOptions,
  home?: KernelHome,
): Promise<DenseTopN> {
  const engine = o.engine ?? "wasm";
  if (!home || home.shared.engine !== engine) return recommendIn(null, m, nbrs, queryRows, num, exclusion, o.workers, engine);
  const run = home.busy.then(() => recommendIn(home, m, nbrs, queryRows, num, exclusion, o.workers, engine));
  home.busy = run.catch(() => undefined);
  return run;
}

async function recommendIn(
  home: KernelHome | null,
  m: RatingRows,
  nbrs: NeighbourLists,
  queryRows: Int32Array,
  num: number,
  exclusion: ExclusionRows | null,
  workers: number,
  engine: ItemKnnEngine,
): Promise<DenseTopN> {
  const nQueries = queryRows.length;
  const threads = threadsFor(workers, nQueries);
  const problem = {
    nUsers: m.nUsers,
    nItems: m.nItems,
    nnz: m.rowItems.length,
    k: nbrs.k,
    nQueries,
    num,
    exclusionNnz: exclusion ? exclusion.nnz : -1,
    workers: threads,
  };
  let layout = planRecommendLayout(problem, home ?? undefined);
  let shared = home ? growItemKnnShared(home.shared, layout.totalBytes) : null;
  if (!shared) {
    // no home, or one that cannot grow (a SharedArrayBuffer): a fresh memory with its own copy of the rows
    layout = planRecommendLayout(problem);
    shared = allocateItemKnnShared(engine, layout.totalBytes, threads);
  }
  const v = recommendViews(itemKnnBuffer(shared), layout);
  if (shared !== home?.shared) {
    v.rowPtr.set(m.rowPtr);
    v.rowItems.set(m.rowItems);
    v.rowRatings.set(m.rowRatings);
  } else {
    // the kernels expect zero accumulators; this region last held the fit's item-major copy or another job's scratch
    new Uint8Array(itemKnnBuffer(shared), layout.scratch, layout.scratchBytesPerWorker * Math.max(1, layout.workers)).fill(0);
  }
  v.nbrIdx.set(nbrs.idx);
  v.nbrSim.set(nbrs.sims);
  v.nbrCount.set(nbrs.counts);
  v.queryRows.set(queryRows);
  if (exclusion && v.exclIndptr && v.exclIndices) {
    v.exclIndptr.set(exclusion.indptr);
    exclusion.writeIndices(v.exclIndices);
  }
  await runItemKnnJob(shared, { kind: "recommend", layout }, threads);
  const idx = v.outIdx.slice();
  return { idx, scores: v.outScores.slice(), counts: countsOf(idx, nQueries, num) };
}
