/**
 * Similar items of every item at once (the `recommend: {similarItems}` table, or a request for all items): the
 * symmetric, integer-screened kernel of src/kernels/similar-cosine.ts on the normalised factors. Its lists are the
 * ones the top-k kernel gives on the items x items product (same scores, bit for bit, same ties), in about a
 * quarter of the work: each pair is scored once, and on int16 copies of the rows, before the few that can enter a
 * list are scored in f32.
 */
import { createTopKMemory } from "../../src/kernels/top-k-dot-wasm.js";
import {
  mergeSimilarCosine,
  planSimilarCosineLayout,
  prepareSimilarCosine,
  similarCosineViews,
  type SimilarCosineLayout,
  type SimilarCosineViews,
} from "../../src/kernels/similar-cosine.js";
import { runSimilarCosineRange, similarCosineWasmModule, type SimilarCosineEngine, type SimilarCosineShared } from "../../src/kernels/similar-cosine-wasm.js";
import { startSimilarCosineWorkers } from "../../src/workers/similar-cosine-pool.js";
import type { FactorSet, TopK } from "./recommend.js";

/** Row indices of ids in increasing id order (targets are indexed in id order: ties go to the larger id). */
function orderById(ids: Int32Array): Int32Array {
  return Int32Array.from({ length: ids.length }, (_, i) => i).sort((a, b) => ids[a] - ids[b]);
}

/**
 * The `k` most similar other items of every item of `normalised` (L2-normalised rows), rows in the set's order,
 * neighbour ids best first, ties to the larger id.
 */
export async function similarForEveryItem(normalised: FactorSet, k: number, opts: { workers: number; engine?: SimilarCosineEngine }): Promise<TopK> {
  const n = normalised.ids.length;
  const rank = normalised.rank;
  const engine = opts.engine ?? "wasm";
  const workers = Math.max(1, Math.min(Math.floor(opts.workers), Math.ceil(n / 8)));
  // The workers start up while this thread orders and quantises the rows (a worker's start costs tens of ms).
  const pool = workers > 1 ? startSimilarCosineWorkers(workers - 1) : null;
  let views: SimilarCosineViews;
  let layout: SimilarCosineLayout;
  const order = orderById(normalised.ids);
  try {
    const rows = new Float32Array(n * rank);
    for (let t = 0; t < n; t++) rows.set(normalised.factors.subarray(order[t] * rank, (order[t] + 1) * rank), t * rank);

    layout = planSimilarCosineLayout(n, rank, k, workers);
    let shared: SimilarCosineShared;
    if (engine === "wasm") shared = { engine, memory: createTopKMemory(layout.totalBytes), module: similarCosineWasmModule() };
    else shared = { engine, buffer: workers > 1 ? new SharedArrayBuffer(layout.totalBytes) : new ArrayBuffer(layout.totalBytes) };
    const buffer = shared.engine === "wasm" ? shared.memory.buffer : shared.buffer;
    views = similarCosineViews(buffer, layout);
    prepareSimilarCosine(rows, views, layout);
    if (pool) await pool.run(shared, layout);
    else runSimilarCosineRange(shared, layout, 0, 0, layout.nPad / 8);
  } finally {
    await pool?.close();
  }

  const outIdx = new Int32Array(n * k);
  const outScores = new Float32Array(n * k);
  const counts = new Int32Array(n);
  mergeSimilarCosine(views, layout, outIdx, outScores, counts);
  // Output rows in the set's order, neighbour indices (id order) as ids.
  const ids = new Int32Array(n * k).fill(-1);
  const scores = new Float32Array(n * k).fill(NaN);
  const outCounts = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const r = order[t];
    outCounts[r] = counts[t];
    for (let e = 0; e < counts[t]; e++) {
      ids[r * k + e] = normalised.ids[order[outIdx[t * k + e]]];
      scores[r * k + e] = outScores[t * k + e];
    }
  }
  return { queryIds: Int32Array.from(normalised.ids), ids, scores, counts: outCounts };
}
