/**
 * Worker entry for ALS half-steps. It builds its own kernel instance on each shared memory it was started with
 * and runs `runChunks` on request. Messages in: AlsWorkerMessage (a half-step, a share of YtY, the objective's
 * tasks, a CSR to fill, one side's initial factors to draw, or close); out: AlsWorkerReply ({type: "done"}, with the factors for initialFactors, or
 * {type: "error", message}). A job runs in the memory of the side it solves. workerData carries
 * the WebAssembly.Memory objects (they cannot be rebuilt from their buffers, so they are the non-typed-array objects
 * handed over) or the SharedArrayBuffer.
 */
import { parentPort, workerData } from "node:worker_threads";
import { gramBandsJs, solveRowsJs, type GramBands, type SolveRows } from "../kernels/als-half-step.js";
import type { AlsLayout, AlsSide } from "../kernels/als-layout.js";
import type { AlsWasmMemory } from "../kernels/als-wasm.js";
import { instantiateAlsKernels } from "../kernels/als-wasm.js";
import { relaxedSimdAvailable } from "../kernels/als-kernel-choice.js";
import { sparkAlsInitialFactors } from "../kernels/spark-random.js";
import { fillSideCsr, runChunks, type AlsWorkerMessage, type AlsWorkerReply } from "./als-chunks.js";
import { runGramShare, runObjectiveTasks } from "./als-sweep-jobs.js";

export interface AlsWorkerData {
  engine: "wasm" | "js";
  /** The memories of the ALS state (one, or one per side): see planAlsSpaces. */
  spaces: Array<{ layout: AlsLayout; memory: AlsWasmMemory | null; buffer: SharedArrayBuffer | null }>;
  sideSpace: Record<AlsSide, number>;
  wasmBytes: Uint8Array | null;
  relaxedSimd: boolean;
  slot: number;
}

const data = workerData as AlsWorkerData;
const port = parentPort;
if (!port) throw new Error("als-worker.ts must run as a worker thread");

// V8's flags are process-wide, so the main thread's setting already holds here; asking again costs one validate and
// keeps the worker right should a Node ever scope the flag to one isolate.
if (data.relaxedSimd && !relaxedSimdAvailable()) throw new Error("ALS worker: this Node cannot compile the relaxed-SIMD (FMA) kernel");
const kernels: Array<{ solveRows: SolveRows; gramBands: GramBands }> = [];
const buffers: ArrayBufferLike[] = [];
for (const space of data.spaces) {
  if (data.engine === "wasm") {
    if (!space.memory || !data.wasmBytes) throw new Error("wasm ALS worker started without memory or module bytes");
    kernels.push(instantiateAlsKernels(data.wasmBytes, space.memory));
    buffers.push(space.memory.buffer);
  } else {
    if (!space.buffer) throw new Error("js ALS worker started without a SharedArrayBuffer");
    kernels.push({ solveRows: solveRowsJs, gramBands: gramBandsJs });
    buffers.push(space.buffer);
  }
}

port.on("message", (msg: AlsWorkerMessage) => {
  if (msg.type === "close") {
    port.close();
    return;
  }
  try {
    if (msg.type === "initialFactors") {
      const factors = sparkAlsInitialFactors(msg.ids, msg.rank, msg.seed, msg.numBlocks);
      const reply: AlsWorkerReply = { type: "done", factors };
      port.postMessage(reply, [factors.buffer as ArrayBuffer]); // a fresh Float32Array: its own ArrayBuffer, moved not copied
      return;
    }
    if (msg.type === "fillCsr") {
      const space = data.sideSpace[msg.side];
      fillSideCsr(buffers[space], data.spaces[space].layout, msg);
      port.postMessage({ type: "done" });
      return;
    }
    if (msg.type === "gram") {
      runGramShare(kernels[msg.space].gramBands, buffers[msg.space], data.spaces[msg.space].layout, msg);
      port.postMessage({ type: "done" });
      return;
    }
    if (msg.type === "objective") {
      const space = data.sideSpace.user;
      runObjectiveTasks(buffers[space], data.spaces[space].layout, msg);
      port.postMessage({ type: "done" });
      return;
    }
    const space = data.sideSpace[msg.side];
    runChunks(kernels[space].solveRows, buffers[space], data.spaces[space].layout, msg, data.slot);
    port.postMessage({ type: "done" });
  } catch (e) {
    port.postMessage({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
