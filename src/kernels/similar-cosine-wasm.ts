/**
 * Binding for the wasm similar-items kernel (assembly/similar-cosine.ts -> wasm/simcos.wasm) and the driver that runs
 * either engine over query octets (a fixed range, or chunks claimed from a shared counter). The module is compiled once per thread; its memory is an
 * imported shared WebAssembly.Memory, so the main thread fills the rows in place and each worker fills its own heaps.
 */
import { readFileSync } from "node:fs";
import {
  SIMCOS_CALL_OCTETS,
  similarCosineBlocks,
  similarCosineViews,
  simcosBlockOctets,
  workerHeapOffsets,
  type SimilarCosineLayout,
} from "./similar-cosine.js";

export type SimilarCosineEngine = "wasm" | "js";

interface SimilarCosineExports {
  similarCosineBlocks(
    qRows: number,
    panels: number,
    exact: number,
    n: number,
    rank: number,
    rank2: number,
    k: number,
    heapScore: number,
    heapIdx: number,
    heapSize: number,
    thr: number,
    eps: number,
    oStart: number,
    oEnd: number,
    pStart: number,
    pEnd: number,
  ): void;
}

let cachedModule: WebAssembly.Module | null = null;

export function similarCosineWasmModule(): WebAssembly.Module {
  if (!cachedModule) cachedModule = new WebAssembly.Module(readFileSync(new URL("./wasm/simcos.wasm", import.meta.url)));
  return cachedModule;
}

/** What a thread needs to run its share: the shared bytes, and for wasm the memory and module. */
export type SimilarCosineShared = { engine: "wasm"; memory: WebAssembly.Memory; module: WebAssembly.Module } | { engine: "js"; buffer: ArrayBufferLike };

/** Query octets per claimed chunk: large enough that a chunk's queries reuse each cached target block, small enough to balance. */
export const SIMCOS_CHUNK_OCTETS = 128;

/** Builds thread `w`'s kernel call (query octets [o0, o1) against target octets [p0, p1) into its own heaps). */
function kernelCall(shared: SimilarCosineShared, l: SimilarCosineLayout, w: number): (o0: number, o1: number, p0: number, p1: number) => void {
  if (shared.engine === "js") {
    const views = similarCosineViews(shared.buffer, l);
    return (o0, o1, p0, p1) => similarCosineBlocks(views, l, w, o0, o1, p0, p1);
  }
  const kernel = new WebAssembly.Instance(shared.module, { env: { memory: shared.memory } }).exports as unknown as SimilarCosineExports;
  const h = workerHeapOffsets(l, w);
  return (o0, o1, p0, p1) =>
    kernel.similarCosineBlocks(l.qRows, l.panels, l.exact, l.n, l.rank, l.rank2, l.k, h.heapScore, h.heapIdx, h.heapSize, l.thr, l.eps, o0, o1, p0, p1);
}

/**
 * Query octets [oStart, oEnd) through `call`, target block by target block (each block stays in cache while the
 * queries visit it), in calls of SIMCOS_CALL_OCTETS query octets.
 */
function runOctets(call: (o0: number, o1: number, p0: number, p1: number) => void, l: SimilarCosineLayout, oStart: number, oEnd: number): void {
  const nOctets = l.nPad / 8;
  const block = simcosBlockOctets(l.rank2);
  for (let pb = oStart; pb < nOctets; pb += block) {
    const pe = Math.min(pb + block, nOctets);
    for (let o = oStart; o < Math.min(oEnd, pe); o += SIMCOS_CALL_OCTETS) call(o, Math.min(o + SIMCOS_CALL_OCTETS, oEnd, pe), pb, pe);
  }
}

/** Thread `w`'s query octets [oStart, oEnd) into its own heaps. */
export function runSimilarCosineRange(shared: SimilarCosineShared, l: SimilarCosineLayout, w: number, oStart: number, oEnd: number): void {
  runOctets(kernelCall(shared, l, w), l, oStart, oEnd);
}

/**
 * Thread `w` claims chunks of SIMCOS_CHUNK_OCTETS query octets from the shared counter `next[0]` (first chunks first:
 * they hold the most pairs of the upper triangle) until none are left, each into its own heaps. Which thread runs
 * which chunk depends on timing, never the lists (similar-cosine.ts, point 3): a thread that starts late (a worker
 * still starting up) or runs slowly (a loaded core) just claims fewer.
 */
export function runSimilarCosineChunks(shared: SimilarCosineShared, l: SimilarCosineLayout, w: number, next: Int32Array): void {
  const nOctets = l.nPad / 8;
  const call = kernelCall(shared, l, w);
  for (;;) {
    const o0 = Atomics.add(next, 0, 1) * SIMCOS_CHUNK_OCTETS;
    if (o0 >= nOctets) return;
    runOctets(call, l, o0, Math.min(o0 + SIMCOS_CHUNK_OCTETS, nOctets));
  }
}
