/**
 * Runs a similar-items layout on N threads: the calling thread as thread 0 and N - 1 worker threads, all claiming
 * chunks of query octets from one shared counter, each filling its own heaps. The calling thread starts on the
 * product at once, while the workers start up (what a worker's start costs is then not on the critical path, and
 * one fewer is started; they are started before the caller prepares the layout, so that start-up overlaps it too); a
 * late or slow thread claims fewer chunks. The merged lists are identical for any N and
 * any timing (see src/kernels/similar-cosine.ts). Workers live for one call.
 */
import type { Worker } from "node:worker_threads";
import type { SimilarCosineLayout } from "../kernels/similar-cosine.js";
import { runSimilarCosineChunks, type SimilarCosineShared } from "../kernels/similar-cosine-wasm.js";
import { startWorkerBeside } from "./start-worker.js";
import type { SimilarCosineWorkerReply, SimilarCosineWorkerTask } from "./similar-cosine-worker.js";

/** Worker threads started ahead of the work (their start-up overlaps the caller's preparing of the layout). */
export interface SimilarCosineWorkers {
  /** Runs the layout on the calling thread and the started workers; the workers are gone afterwards. */
  run(shared: SimilarCosineShared, layout: SimilarCosineLayout): Promise<void>;
  /** Ends the workers without running (the caller failed before `run`); harmless after `run`. */
  close(): Promise<void>;
}

/** Starts `count` workers (threads 1..count of a layout with count + 1 workers); nothing runs until `run`. */
export function startSimilarCosineWorkers(count: number): SimilarCosineWorkers {
  const started: Worker[] = Array.from({ length: count }, () => startWorkerBeside(import.meta.url, "similar-cosine-worker"));
  const close = async (): Promise<void> => {
    await Promise.all(started.map((w) => w.terminate()));
  };
  return {
    close,
    async run(shared, layout) {
      if (layout.workers !== count + 1) throw new Error(`similar-items: a layout for ${layout.workers} threads run on ${count} workers and this thread`);
      const next = new Int32Array(new SharedArrayBuffer(4));
      try {
        const workersDone = Promise.all(
          started.map((worker, i) => {
            const workerIndex = i + 1;
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
        await close();
      }
    },
  };
}
