/**
 * Binding for the wasm top-k kernel (assembly/top-k-dot.ts -> wasm/topk.wasm) and the chunked driver that runs either engine
 * over a query range of a TopKLayout. The module is compiled once per thread; its memory is an imported shared
 * WebAssembly.Memory, so the main thread fills inputs in place and every worker writes its own query rows.
 */
import { readFileSync } from "node:fs";
import { topKDot, topKViews, type TopKLayout } from "./top-k-dot.js";

/** Must equal MAX_PAGES in scripts/build-wasm-topk.mjs: an imported shared memory must match the declared maximum. */
export const TOPK_MAX_PAGES = 65536;
const PAGE_BYTES = 65536;
/** Target panels scanned per pass: about 256 KiB, so they stay in L2 while every query of a chunk visits them. */
const TARGET_BLOCK_BYTES = 256 * 1024;

export type TopKEngine = "wasm" | "js";

interface TopKExports {
  topKDot(
    queries: number,
    rank: number,
    panels: number,
    nTargets: number,
    num: number,
    exclIndptr: number,
    exclIndices: number,
    hasExcl: number,
    outIdx: number,
    outScores: number,
    heapScore: number,
    heapIdx: number,
    heapSize: number,
    thr: number,
    qStart: number,
    qEnd: number,
    blockPanels: number,
    slotTarget: number,
    stripeNorms: number,
    queryBounds: number,
    stop: number,
  ): void;
}

let cachedModule: WebAssembly.Module | null = null;

/** The compiled kernel (synchronous compile: 2.8 KB of wasm). */
export function topKWasmModule(): WebAssembly.Module {
  if (!cachedModule) cachedModule = new WebAssembly.Module(readFileSync(new URL("./wasm/topk.wasm", import.meta.url)));
  return cachedModule;
}

/** A shared memory big enough for `bytes`; wasm32 caps it at 4 GiB. */
export function createTopKMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if (pages > TOPK_MAX_PAGES) {
    throw new RangeError(`top-k needs ${bytes} bytes of wasm memory; wasm32 allows at most 4 GiB: recommend in smaller query batches`);
  }
  return new WebAssembly.Memory({ initial: pages, maximum: TOPK_MAX_PAGES, shared: true });
}

/** What a thread needs to run its share: the shared bytes, and for wasm the memory and module. */
export type TopKShared = { engine: "wasm"; memory: WebAssembly.Memory; module: WebAssembly.Module } | { engine: "js"; buffer: ArrayBufferLike };

export function sharedBuffer(shared: TopKShared): ArrayBufferLike {
  return shared.engine === "wasm" ? shared.memory.buffer : shared.buffer;
}

/** Panels per cache block: a whole number of pruning stripes (8 panels), so stripes never straddle blocks. */
function blockPanelsFor(rank: number): number {
  return Math.max(8, Math.floor(TARGET_BLOCK_BYTES / (rank * 16)) & ~7);
}

/**
 * Runs queries [qStart, qEnd) in chunks of layout.chunk, using worker slot `workerIndex`'s scratch. Each query's
 * result depends only on its own row, so any split of the range gives the same bytes.
 */
export function runTopKRange(shared: TopKShared, l: TopKLayout, qStart: number, qEnd: number, workerIndex: number): void {
  if (shared.engine === "js") {
    const views = topKViews(shared.buffer, l);
    for (let q = qStart; q < qEnd; q += l.chunk) topKDot(views, l, q, Math.min(q + l.chunk, qEnd));
    return;
  }
  const instance = new WebAssembly.Instance(shared.module, { env: { memory: shared.memory } });
  const kernel = instance.exports as unknown as TopKExports;
  const scratch = l.scratch + workerIndex * l.scratchBytesPerWorker;
  const heapScore = scratch;
  const heapIdx = heapScore + l.chunk * l.num * 4;
  const heapSize = heapIdx + l.chunk * l.num * 4;
  const thr = heapSize + l.chunk * 4;
  const stop = thr + l.chunk * 4;
  const hasExcl = l.exclusionNnz >= 0 ? 1 : 0;
  const blockPanels = blockPanelsFor(l.rank);
  for (let q = qStart; q < qEnd; q += l.chunk) {
    kernel.topKDot(
      l.queries,
      l.rank,
      l.panels,
      l.nTargets,
      l.num,
      l.exclIndptr,
      l.exclIndices,
      hasExcl,
      l.outIdx,
      l.outScores,
      heapScore,
      heapIdx,
      heapSize,
      thr,
      q,
      Math.min(q + l.chunk, qEnd),
      blockPanels,
      l.slotTarget,
      l.stripeNorms,
      l.queryBounds,
      stop,
    );
  }
}
