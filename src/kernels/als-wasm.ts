/**
 * Loads the AssemblyScript kernels (assembly/als-half-step.ts, built to ./wasm/als.wasm with shared memory) and adapts them to
 * the same call signatures as the TypeScript twin (als-half-step.ts): typed arrays in, byte offsets out.
 * Every array handed to these functions must be a view on the instance's memory.buffer: the kernel addresses
 * linear memory directly, so no data is copied in or out.
 */
import { readFileSync } from "node:fs";
import type { FactorArray, GramAccumulate, GramBands, HalfStepArgs, SolveRows } from "./als-half-step.js";
import { ALS_KERNEL_FILES, DEFAULT_ALS_KERNEL, type AlsKernelName } from "./als-kernel-choice.js";

/** The module declares a shared imported memory with this maximum (scripts/build-wasm.mjs): 4 GiB, wasm32's ceiling. */
export const ALS_WASM_MAXIMUM_PAGES = 65536;

/** Bytes at the start of linear memory left to the module (its stack/data; it declares none today). */
export const ALS_WASM_RESERVED_BYTES = 65536;

/** The most a layout (reserved bytes included) may take in one memory: createAlsMemory adds one page of slack. */
export const ALS_WASM_MAX_LAYOUT_BYTES = (ALS_WASM_MAXIMUM_PAGES - 1) * 65536;

// tsconfig's lib (ES2022, no DOM) and @types/node 20 do not declare WebAssembly; these are the few members used.
/** A WebAssembly.Memory. */
export interface AlsWasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => AlsWasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface AlsExports {
  solveRows(
    indptr: number,
    indices: number,
    values: number,
    src: number,
    out: number,
    gram: number,
    kp: number,
    k: number,
    regParam: number,
    alpha: number,
    implicit: number,
    solver: number,
    cgSteps: number,
    rowStart: number,
    rowEnd: number,
    scratch: number,
    cgGatherCapacity: number,
  ): number;
  gramAccumulate(Y: number, rowStart: number, rowEnd: number, kp: number, out: number): void;
  gramBands(Y: number, rowStart: number, rowEnd: number, kp: number, out: number, bandStart: number, bandEnd: number): void;
  scratchBytes(kp: number): number;
}

export interface AlsKernels {
  solveRows: SolveRows;
  gramAccumulate: GramAccumulate;
  gramBands: GramBands;
}

export function alsWasmAvailable(): boolean {
  return typeof wasmApi === "object" && typeof wasmApi.Memory === "function";
}

/** The compiled bytes of one kernel build (shipped next to this file; copied into dist by scripts/copy-assets.mjs). */
export function readAlsWasmBytes(kernel: AlsKernelName = DEFAULT_ALS_KERNEL): Uint8Array {
  return readFileSync(new URL(`./wasm/${ALS_KERNEL_FILES[kernel]}`, import.meta.url));
}

/** A shared memory the kernels can import, big enough for `bytes` (reserved region included). */
export function createAlsMemory(bytes: number): AlsWasmMemory {
  const pages = Math.ceil((bytes + ALS_WASM_RESERVED_BYTES) / 65536);
  if (pages > ALS_WASM_MAXIMUM_PAGES) {
    throw new RangeError(
      `ALS needs ${(bytes / 2 ** 30).toFixed(2)} GiB of kernel memory for one side; wasm32 caps one memory at 4 GiB ` +
        `(about 500M ratings at rank 10 with one memory per side)`,
    );
  }
  return new (api().Memory)({ initial: pages, maximum: ALS_WASM_MAXIMUM_PAGES, shared: true });
}

function api(): WasmApi {
  if (!wasmApi) throw new Error("WebAssembly is not available in this runtime; use the js ALS engine");
  return wasmApi;
}

export function instantiateAlsKernels(bytes: Uint8Array, memory: AlsWasmMemory): AlsKernels {
  const module = new (api().Module)(bytes);
  const ex = new (api().Instance)(module, { env: { memory } }).exports as unknown as AlsExports;
  const f32 = (a: FactorArray | null): number => {
    if (a === null) return 0;
    if (!(a instanceof Float32Array)) throw new TypeError("the wasm ALS kernels work on Float32Array factors only");
    return a.byteOffset;
  };
  return {
    solveRows: (a: HalfStepArgs) =>
      ex.solveRows(
        a.indptr.byteOffset,
        a.indices.byteOffset,
        a.values.byteOffset,
        f32(a.src),
        f32(a.out),
        f32(a.gram),
        a.kp,
        a.k,
        a.regParam,
        a.alpha,
        a.implicit ? 1 : 0,
        a.solver,
        a.cgSteps,
        a.rowStart,
        a.rowEnd,
        a.scratch.byteOffset,
        a.cgGatherCapacity,
      ),
    gramAccumulate: (Y, rowStart, rowEnd, kp, outGram) => ex.gramAccumulate(f32(Y), rowStart, rowEnd, kp, f32(outGram)),
    gramBands: (Y, rowStart, rowEnd, kp, outGram, bandStart, bandEnd) => ex.gramBands(f32(Y), rowStart, rowEnd, kp, f32(outGram), bandStart, bandEnd),
  };
}
