/**
 * Runs a similar-items layout on N worker threads: query octets split into N contiguous ranges of equal work (the
 * upper triangle: octet o scores every octet from o on), each worker filling its own heaps. The merged lists are
 * identical for any N (see src/kernels/similar-cosine.ts). Workers live for one call.
 */
import type { Worker } from "node:worker_threads";
import { splitOctets, type SimilarCosineLayout } from "../kernels/similar-cosine.js";
import type { SimilarCosineShared } from "../kernels/similar-cosine-wasm.js";
import { startWorkerBeside } from "./start-worker.js";
import type { SimilarCosineWorkerReply, SimilarCosineWorkerTask } from "./similar-cosine-worker.js";

export async function runSimilarCosineOnWorkers(shared: SimilarCosineShared, layout: SimilarCosineLayout): Promise<void> {
  const ranges = splitOctets(layout.nPad / 8, layout.workers);
  const started: Worker[] = [];
  try {
    await Promise.all(
      ranges.map(([oStart, oEnd], workerIndex) => {
        const worker = startWorkerBeside(import.meta.url, "similar-cosine-worker");
        started.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.once("message", (reply: SimilarCosineWorkerReply) => {
            if (reply.ok) resolve();
            else reject(Object.assign(new Error(`similar-items worker ${workerIndex}: ${reply.message}`), { stack: reply.stack }));
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`similar-items worker ${workerIndex} exited with code ${code}`)));
          const task: SimilarCosineWorkerTask = { shared, layout, workerIndex, oStart, oEnd };
          worker.postMessage(task);
        });
      }),
    );
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}
