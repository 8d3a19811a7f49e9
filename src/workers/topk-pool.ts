/**
 * Runs a top-k layout on N worker threads: queries split into N fixed contiguous ranges, one per worker, each
 * writing disjoint output rows of the shared buffer. Results are identical for any N because a query's top-k
 * depends only on its own row. Workers live for one call (spawning two costs ~25 ms against seconds of work).
 */
import type { Worker } from "node:worker_threads";
import type { TopKLayout } from "../kernels/top-k-dot.js";
import type { TopKShared } from "../kernels/top-k-dot-wasm.js";
import { startWorkerBeside } from "./start-worker.js";
import type { TopKWorkerReply, TopKWorkerTask } from "./topk-worker.js";

const startWorker = () => startWorkerBeside(import.meta.url, "topk-worker");

/** Contiguous ranges [start, end) covering 0..n, as equal as possible, in order. */
export function splitRanges(n: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const base = Math.floor(n / parts);
  const extra = n % parts;
  let at = 0;
  for (let i = 0; i < parts; i++) {
    const len = base + (i < extra ? 1 : 0);
    out.push([at, at + len]);
    at += len;
  }
  return out;
}

export async function runTopKOnWorkers(shared: TopKShared, layout: TopKLayout, workers: number): Promise<void> {
  const ranges = splitRanges(layout.nQueries, workers);
  const started: Worker[] = [];
  try {
    await Promise.all(
      ranges.map(([qStart, qEnd], workerIndex) => {
        const worker = startWorker();
        started.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.once("message", (reply: TopKWorkerReply) => {
            if (reply.ok) resolve();
            else reject(Object.assign(new Error(`top-k worker ${workerIndex}: ${reply.message}`), { stack: reply.stack }));
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`top-k worker ${workerIndex} exited with code ${code}`)));
          const task: TopKWorkerTask = { shared, layout, qStart, qEnd, workerIndex };
          worker.postMessage(task);
        });
      }),
    );
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}
