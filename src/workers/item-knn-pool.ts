/**
 * Runs one item-knn job on N threads over one shared memory: every thread claims fixed chunks of rows from a shared
 * counter and writes only those rows, so the bytes out are the same for any N (a row depends on its inputs alone).
 * With one thread the job runs on the calling thread (no start-up). Workers live for one job, as the top-k pool's do.
 */
import { itemKnnBuffer, runItemKnnChunks, type ItemKnnJob, type ItemKnnShared } from "../kernels/item-knn-wasm.js";
import type { ItemKnnWorkerReply, ItemKnnWorkerTask } from "./item-knn-worker.js";
import { startWorkerBeside } from "./start-worker.js";

export async function runItemKnnJob(shared: ItemKnnShared, job: ItemKnnJob, threads: number): Promise<void> {
  const control = new Int32Array(itemKnnBuffer(shared), job.layout.control, 4);
  Atomics.store(control, 0, 0);
  if (threads <= 1) {
    runItemKnnChunks(shared, job, 0);
    return;
  }
  const started = Array.from({ length: threads }, () => startWorkerBeside(import.meta.url, "item-knn-worker"));
  try {
    await Promise.all(
      started.map(
        (worker, slot) =>
          new Promise<void>((resolve, reject) => {
            worker.once("message", (reply: ItemKnnWorkerReply) => {
              if (reply.ok) resolve();
              else reject(Object.assign(new Error(`item-knn worker ${slot}: ${reply.message}`), { stack: reply.stack }));
            });
            worker.once("error", reject);
            worker.once("exit", (code) => reject(new Error(`item-knn worker ${slot} exited with code ${code}`)));
            worker.postMessage({ shared, job, slot } satisfies ItemKnnWorkerTask);
          }),
      ),
    );
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}
