/**
 * Worker entry for the item-knn kernels: runs chunks of one phase of a job (neighbours or recommendations) on the
 * shared memory until none is left, then reports back; a job's next phase comes as the next message. Started by
 * item-knn-pool.ts; messages carry the shared memory/buffer, the wasm module, the layout (numbers), the worker's
 * scratch slot and the phase.
 */
import { parentPort } from "node:worker_threads";
import { runItemKnnChunks, type ItemKnnJob, type ItemKnnShared } from "../kernels/item-knn-wasm.js";

export interface ItemKnnWorkerTask {
  shared: ItemKnnShared;
  job: ItemKnnJob;
  slot: number;
  phase: number;
}

export type ItemKnnWorkerReply = { ok: true } | { ok: false; message: string; stack?: string };

if (!parentPort) throw new Error("item-knn-worker.ts must run in a worker thread");
const port = parentPort;
port.on("message", (task: ItemKnnWorkerTask) => {
  try {
    runItemKnnChunks(task.shared, task.job, task.slot, task.phase);
    port.postMessage({ ok: true } satisfies ItemKnnWorkerReply);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ ok: false, message: err.message, stack: err.stack } satisfies ItemKnnWorkerReply);
  }
});
