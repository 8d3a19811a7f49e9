/**
 * Runs a similar-items layout on N threads: the calling thread as thread 0 and N - 1 worker threads, all claiming
 * chunks of query octets from one shared counter, each filling its own heaps. The calling thread starts on the
 * product at once, while the workers start up (what a worker's start costs is then not on the critical path, and
 * one fewer is started); a late or slow thread claims fewer chunks. The merged lists are identical for any N and
 * any timing (see src/kernels/similar-cosine.ts). Workers live for one call.
 */
import type { Worker } from "node:worker_threads";
import type { SimilarCosineLayout } from "../kernels/similar-cosine.js";
import { runSimilarCosineChunks, type SimilarCosineShared } from "../kernels/similar-cosine-wasm.js";
import { startWorkerBeside } from "./start-worker.js";
import type { SimilarCosineWorkerReply, SimilarCosineWorkerTask } from "./similar-cosine-worker.js";

export async function runSimilarCosineOnWorkers(shared: SimilarCosineShared, layout: SimilarCosineLayout): Promise<void> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const started: Worker[] = [];
  try {
    const workersDone = Promise.all(
      Array.from({ length: layout.workers - 1 }, (_, i) => {
        const workerIndex = i + 1;
        const worker = startWorkerBeside(import.meta.url, "similar-cosine-worker");
        started.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.once("message", (reply: SimilarCosineWorkerReply) => {
            if (reply.ok) resolve();
            else reject(Object.assign(new Error(`similar-items worker ${workerIndex}: ${reply.message}`), { stack: reply.stack }));
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`similar-items worker ${workerIndex} exited with code ${code}`)));
          const task: SimilarCosineWorkerTask = { shared, layout, workerIndex, next };
          worker.postMessage(task);
        });
      }),
    );
    // If this thread's share throws, the workers' outcome is moot (they are terminated below): no unhandled rejection.
    workersDone.catch(() => undefined);
    runSimilarCosineChunks(shared, layout, 0, next);
    await workersDone;
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}
