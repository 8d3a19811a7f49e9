/**
 * Runs one item-knn job on N threads over one shared memory, phase by phase (a neighbour job has two: pairs, then
 * merge): in each phase every thread claims fixed chunks of rows from a shared counter, and the next phase starts
 * only when every thread has reported the last one done. The bytes out are the same for any N (item-knn-wasm.ts says
 * why). With one thread the job runs on the calling thread (no start-up). Workers live for one job, as the top-k
 * pool's do.
 */
import { itemKnnBuffer, phasesOf, prepareItemKnnJob, runItemKnnChunks, type ItemKnnJob, type ItemKnnShared } from "../kernels/item-knn-wasm.js";
import type { ItemKnnWorkerReply, ItemKnnWorkerTask } from "./item-knn-worker.js";
import { startWorkerBeside } from "./start-worker.js";

export async function runItemKnnJob(shared: ItemKnnShared, job: ItemKnnJob, threads: number): Promise<void> {
  const control = new Int32Array(itemKnnBuffer(shared), job.layout.control, 4);
  const phases = phasesOf(job);
  prepareItemKnnJob(shared, job);
  if (threads <= 1) {
    for (let phase = 0; phase < phases; phase++) {
      Atomics.store(control, 0, 0);
      runItemKnnChunks(shared, job, 0, phase);
    }
    return;
  }
  const started = Array.from({ length: threads }, () => startWorkerBeside(import.meta.url, "item-knn-worker"));
  const failed = new Promise<never>((_, reject) => {
    started.forEach((worker, slot) => {
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`item-knn worker ${slot} exited with code ${code}`)));
    });
  });
  failed.catch(() => undefined); // observed by the race below; never an unhandled rejection after the job ends
  try {
    for (let phase = 0; phase < phases; phase++) {
      Atomics.store(control, 0, 0);
      const done = started.map(
        (worker, slot) =>
          new Promise<void>((resolve, reject) => {
            worker.once("message", (reply: ItemKnnWorkerReply) => {
              if (reply.ok) resolve();
              else reject(Object.assign(new Error(`item-knn worker ${slot}: ${reply.message}`), { stack: reply.stack }));
            });
            worker.postMessage({ shared, job, slot, phase } satisfies ItemKnnWorkerTask);
          }),
      );
      await Promise.race([Promise.all(done), failed]);
    }
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}
