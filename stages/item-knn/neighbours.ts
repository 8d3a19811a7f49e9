/**
 * item-knn's two hot paths on the kernels (src/kernels/item-knn*.ts) and the worker pool: fitting the k neighbours
 * of every item, and top-N recommendations from those lists. Inputs are written straight into one shared memory;
 * the results are copied out, so the memory can go as soon as a call returns. Identical bytes for any worker count.
 */
import { allocateItemKnnShared, itemKnnBuffer, type ItemKnnEngine } from "../../src/kernels/item-knn-wasm.js";
import { ITEM_KNN_CHUNK_ROWS, neighbourViews, planNeighbourLayout, planRecommendLayout, recommendViews } from "../../src/kernels/item-knn-layout.js";
import { fillWeightedMatrix, type ItemKnnWeighting, type RatingRows } from "../../src/kernels/item-knn-matrix.js";
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

export async function fitNeighbours(m: RatingRows, p: NeighbourParams, o: KernelOptions): Promise<NeighbourLists> {
  const threads = threadsFor(o.workers, m.nItems);
  const layout = planNeighbourLayout({ nUsers: m.nUsers, nItems: m.nItems, nnz: m.rowItems.length, k: p.k, workers: threads });
  const shared = allocateItemKnnShared(o.engine ?? "wasm", layout.totalBytes, threads);
  const v = neighbourViews(itemKnnBuffer(shared), layout);
  fillWeightedMatrix(m, p.weighting, p.K1, p.B, v);
  await runItemKnnJob(shared, { kind: "neighbours", layout, shrinkage: p.shrinkage }, threads);
  const idx = v.outIdx.slice();
  return { k: p.k, idx, sims: v.outScores.slice(), counts: countsOf(idx, m.nItems, p.k) };
}

/** Top-N lists (dense item indices) for the users at `queryRows` (rows of m, or -1: an empty list). */
export interface DenseTopN {
  idx: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
}

export async function recommendFromNeighbours(
  m: RatingRows,
  nbrs: NeighbourLists,
  queryRows: Int32Array,
  num: number,
  exclusion: { indptr: Int32Array; indices: Int32Array } | null,
  o: KernelOptions,
): Promise<DenseTopN> {
  const nQueries = queryRows.length;
  const threads = threadsFor(o.workers, nQueries);
  const layout = planRecommendLayout({
    nUsers: m.nUsers,
    nItems: m.nItems,
    nnz: m.rowItems.length,
    k: nbrs.k,
    nQueries,
    num,
    exclusionNnz: exclusion ? exclusion.indices.length : -1,
    workers: threads,
  });
  const shared = allocateItemKnnShared(o.engine ?? "wasm", layout.totalBytes, threads);
  const v = recommendViews(itemKnnBuffer(shared), layout);
  v.rowPtr.set(m.rowPtr);
  v.rowItems.set(m.rowItems);
  v.rowRatings.set(m.rowRatings);
  v.nbrIdx.set(nbrs.idx);
  v.nbrSim.set(nbrs.sims);
  v.nbrCount.set(nbrs.counts);
  v.queryRows.set(queryRows);
  if (exclusion && v.exclIndptr && v.exclIndices) {
    v.exclIndptr.set(exclusion.indptr);
    v.exclIndices.set(exclusion.indices);
  }
  await runItemKnnJob(shared, { kind: "recommend", layout }, threads);
  const idx = v.outIdx.slice();
  return { idx, scores: v.outScores.slice(), counts: countsOf(idx, nQueries, num) };
}
