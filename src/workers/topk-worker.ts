/**
 * Worker entry for top-k recommendation: runs one contiguous query range of a TopKLayout on the shared buffer and
 * reports back. Started by topk-pool.ts; messages carry the shared memory/buffer, the wasm module and numbers only.
 */
import { parentPort } from "node:worker_threads";
import type { TopKLayout } from "../kernels/top-k-dot.js";
import { runTopKRange, type TopKShared } from "../kernels/top-k-dot-wasm.js";

export interface TopKWorkerTask {
  shared: TopKShared;
  layout: TopKLayout;
  qStart: number;
  qEnd: number;
  workerIndex: number;
}

export type TopKWorkerReply = { ok: true } | { ok: false; message: string; stack?: string };

if (!parentPort) throw new Error("topk-worker.ts must run in a worker thread");
const port = parentPort;
port.on("message", (task: TopKWorkerTask) => {
  try {
    runTopKRange(task.shared, task.layout, task.qStart, task.qEnd, task.workerIndex);
    port.postMessage({ ok: true } satisfies TopKWorkerReply);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ ok: false, message: err.message, stack: err.stack } satisfies TopKWorkerReply);
  }
});
