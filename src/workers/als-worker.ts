/**
 * Worker entry for ALS half-steps. It builds its own kernel instance on the shared memory it was started with
 * and runs `runChunks` on request. Messages in: {type: "halfStep", ...AlsHalfStepJob} | {type: "close"};
 * out: {type: "done"} | {type: "error", message}. workerData carries the WebAssembly.Memory (it cannot be
 * rebuilt from its buffer, so it is the one non-typed-array object handed over) or the SharedArrayBuffer.
 */
import { parentPort, workerData } from "node:worker_threads";
import { solveRowsJs, type SolveRows } from "../kernels/als-half-step.js";
import type { AlsLayout } from "../kernels/als-layout.js";
import type { AlsWasmMemory } from "../kernels/als-wasm.js";
import { instantiateAlsKernels } from "../kernels/als-wasm.js";
import { runChunks, type AlsHalfStepJob } from "./als-chunks.js";

export interface AlsWorkerData {
  engine: "wasm" | "js";
  memory: AlsWasmMemory | null;
  buffer: SharedArrayBuffer | null;
  wasmBytes: Uint8Array | null;
  layout: AlsLayout;
  slot: number;
}

const data = workerData as AlsWorkerData;
const port = parentPort;
if (!port) throw new Error("als-worker.ts must run as a worker thread");

let solveRows: SolveRows;
let buffer: ArrayBufferLike;
if (data.engine === "wasm") {
  if (!data.memory || !data.wasmBytes) throw new Error("wasm ALS worker started without memory or module bytes");
  solveRows = instantiateAlsKernels(data.wasmBytes, data.memory).solveRows;
  buffer = data.memory.buffer;
} else {
  if (!data.buffer) throw new Error("js ALS worker started without a SharedArrayBuffer");
  solveRows = solveRowsJs;
  buffer = data.buffer;
}

port.on("message", (msg: { type: string } & AlsHalfStepJob) => {
  if (msg.type === "close") {
    port.close();
    return;
  }
  try {
    runChunks(solveRows, buffer, data.layout, msg, data.slot);
    port.postMessage({ type: "done" });
  } catch (e) {
    port.postMessage({ type: "error", message: e instanceof Error ? e.stack ?? e.message : String(e) });
  }
});
