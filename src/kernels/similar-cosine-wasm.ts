/**
 * Binding for the wasm similar-items kernel (assembly/similar-cosine.ts -> wasm/simcos.wasm) and the driver that runs
 * either engine over one worker's range of query octets. The module is compiled once per thread; its memory is an
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

/**
 * Worker `w`'s query octets [oStart, oEnd), target block by target block (each block stays in cache while the
 * queries visit it), in calls of SIMCOS_CALL_OCTETS query octets.
 */
export function runSimilarCosineRange(shared: SimilarCosineShared, l: SimilarCosineLayout, w: number, oStart: number, oEnd: number): void {
  const nOctets = l.nPad / 8;
  const block = simcosBlockOctets(l.rank2);
  let call: (o0: number, o1: number, p0: number, p1: number) => void;
  if (shared.engine === "js") {
    const views = similarCosineViews(shared.buffer, l);
    call = (o0, o1, p0, p1) => similarCosineBlocks(views, l, w, o0, o1, p0, p1);
  } else {
    const kernel = new WebAssembly.Instance(shared.module, { env: { memory: shared.memory } }).exports as unknown as SimilarCosineExports;
    const h = workerHeapOffsets(l, w);
    call = (o0, o1, p0, p1) =>
      kernel.similarCosineBlocks(l.qRows, l.panels, l.exact, l.n, l.rank, l.rank2, l.k, h.heapScore, h.heapIdx, h.heapSize, l.thr, l.eps, o0, o1, p0, p1);
  }
  for (let pb = oStart; pb < nOctets; pb += block) {
    const pe = Math.min(pb + block, nOctets);
    for (let o = oStart; o < Math.min(oEnd, pe); o += SIMCOS_CALL_OCTETS) call(o, Math.min(o + SIMCOS_CALL_OCTETS, oEnd, pe), pb, pe);
  }
}
