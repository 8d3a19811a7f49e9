/**
 * Worker entry for similar items of every item: claims chunks of query octets of a SimilarCosineLayout from the shared
 * counter, into its own heaps on the shared buffer, and reports back when none are left. Started by similar-cosine-pool.ts.
 */
import { parentPort } from "node:worker_threads";
import type { SimilarCosineLayout } from "../kernels/similar-cosine.js";
import { runSimilarCosineChunks, type SimilarCosineShared } from "../kernels/similar-cosine-wasm.js";

export interface SimilarCosineWorkerTask {
  shared: SimilarCosineShared;
  layout: SimilarCosineLayout;
  workerIndex: number;
  /** The shared chunk counter (Int32Array on a SharedArrayBuffer). */
  next: Int32Array;
}

export type SimilarCosineWorkerReply = { ok: true } | { ok: false; message: string; stack?: string };

if (!parentPort) throw new Error("similar-cosine-worker.ts must run in a worker thread");
const port = parentPort;
port.on("message", (task: SimilarCosineWorkerTask) => {
  try {
    runSimilarCosineChunks(task.shared, task.layout, task.workerIndex, task.next);
    port.postMessage({ ok: true } satisfies SimilarCosineWorkerReply);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ ok: false, message: err.message, stack: err.stack } satisfies SimilarCosineWorkerReply);
  }
});
