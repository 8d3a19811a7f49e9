/**
 * Worker entry for similar items of every item: runs one range of query octets of a SimilarCosineLayout into its own
 * heaps on the shared buffer and reports back. Started by similar-cosine-pool.ts.
 */
import { parentPort } from "node:worker_threads";
import type { SimilarCosineLayout } from "../kernels/similar-cosine.js";
import { runSimilarCosineRange, type SimilarCosineShared } from "../kernels/similar-cosine-wasm.js";

export interface SimilarCosineWorkerTask {
  shared: SimilarCosineShared;
  layout: SimilarCosineLayout;
  workerIndex: number;
  oStart: number;
  oEnd: number;
}

export type SimilarCosineWorkerReply = { ok: true } | { ok: false; message: string; stack?: string };

if (!parentPort) throw new Error("similar-cosine-worker.ts must run in a worker thread");
const port = parentPort;
port.on("message", (task: SimilarCosineWorkerTask) => {
  try {
    runSimilarCosineRange(task.shared, task.layout, task.workerIndex, task.oStart, task.oEnd);
    port.postMessage({ ok: true } satisfies SimilarCosineWorkerReply);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ ok: false, message: err.message, stack: err.stack } satisfies SimilarCosineWorkerReply);
  }
});
