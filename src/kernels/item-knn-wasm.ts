/**
 * Binding for the item-knn kernels (assembly/item-knn.ts -> wasm/itemknn.wasm) and the loop every thread runs: claim
 * the next fixed chunk of rows from a shared counter (Atomics), run it with either engine, repeat. Rows are computed
 * independently, so which thread runs a chunk never changes a byte of the output.
 */
import { readFileSync } from "node:fs";
import { BoundedHeap } from "./bounded-heap.js";
import { itemNeighbourRows, recommendFromNeighbourRows } from "./item-knn.js";
import { ITEM_KNN_CHUNK_ROWS, neighbourViews, recommendViews, scratchOffsets, type NeighbourLayout, type RecommendLayout } from "./item-knn-layout.js";

/** 65536 pages = 4 GiB, as scripts/build-wasm.mjs declares: an imported shared memory must match the declared maximum. */
const ITEM_KNN_MAX_PAGES = 65536;
const PAGE_BYTES = 65536;

interface ItemKnnExports {
  itemNeighbourRows(
    colPtr: number,
    colUsers: number,
    colVals: number,
    rowPtr: number,
    rowItems: number,
    rowVals: number,
    norms: number,
    outIdx: number,
    outScores: number,
    nItems: number,
    k: number,
    shrinkage: number,
    rowStart: number,
    rowEnd: number,
    acc: number,
    heapScore: number,
    heapIdx: number,
  ): void;
  recommendFromNeighbourRows(
    rowPtr: number,
    rowItems: number,
    rowRatings: number,
    nbrIdx: number,
    nbrSim: number,
    nbrCount: number,
    queryRows: number,
    exclIndptr: number,
    exclIndices: number,
    hasExcl: number,
    outIdx: number,
    outScores: number,
    k: number,
    num: number,
    qStart: number,
    qEnd: number,
    acc: number,
    heapScore: number,
    heapIdx: number,
  ): void;
}

let cachedModule: WebAssembly.Module | null = null;

export function itemKnnWasmModule(): WebAssembly.Module {
  if (!cachedModule) cachedModule = new WebAssembly.Module(readFileSync(new URL("./wasm/itemknn.wasm", import.meta.url)));
  return cachedModule;
}

export type ItemKnnEngine = "wasm" | "js";

/** The shared bytes a job runs on: a shared wasm memory (with the module every thread instantiates) or a SharedArrayBuffer. */
export type ItemKnnShared = { engine: "wasm"; memory: WebAssembly.Memory; module: WebAssembly.Module } | { engine: "js"; buffer: ArrayBufferLike };

export type ItemKnnJob = { kind: "neighbours"; layout: NeighbourLayout; shrinkage: number } | { kind: "recommend"; layout: RecommendLayout };

/** Shared memory (or buffer) for `bytes`; wasm32 caps one memory at 4 GiB. */
export function allocateItemKnnShared(engine: ItemKnnEngine, bytes: number, threads: number): ItemKnnShared {
  if (engine === "js") return { engine, buffer: threads > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes) };
  const pages = Math.ceil(bytes / PAGE_BYTES);
  if (pages > ITEM_KNN_MAX_PAGES) {
    throw new RangeError(`item-knn needs ${bytes} bytes of wasm memory; wasm32 allows at most 4 GiB`);
  }
  return { engine, memory: new WebAssembly.Memory({ initial: pages, maximum: ITEM_KNN_MAX_PAGES, shared: true }), module: itemKnnWasmModule() };
}

/** `shared` with room for `bytes` (a wasm memory grows in place; its old views stay valid), or null if it cannot grow. */
export function growItemKnnShared(shared: ItemKnnShared, bytes: number): ItemKnnShared | null {
  if (shared.engine === "js") return shared.buffer.byteLength >= bytes ? shared : null;
  const have = shared.memory.buffer.byteLength;
  if (bytes <= have) return shared;
  const pages = Math.ceil((bytes - have) / PAGE_BYTES);
  if (have / PAGE_BYTES + pages > ITEM_KNN_MAX_PAGES) return null;
  shared.memory.grow(pages);
  return shared;
}

export function itemKnnBuffer(shared: ItemKnnShared): ArrayBufferLike {
  return shared.engine === "wasm" ? shared.memory.buffer : shared.buffer;
}

function rowsOf(job: ItemKnnJob): number {
  return job.kind === "neighbours" ? job.layout.nItems : job.layout.nQueries;
}

/** Claims and runs chunks of `job` with scratch slot `slot` until none is left. */
export function runItemKnnChunks(shared: ItemKnnShared, job: ItemKnnJob, slot: number): void {
  const buffer = itemKnnBuffer(shared);
  const l = job.layout;
  const control = new Int32Array(buffer, l.control, 4);
  const rows = rowsOf(job);
  const heapCap = job.kind === "neighbours" ? job.layout.k : job.layout.num;
  const s = scratchOffsets(l.scratch, l.scratchBytesPerWorker, slot, l.nItems, heapCap);
  const claim = (): number => Atomics.add(control, 0, ITEM_KNN_CHUNK_ROWS);
  if (shared.engine === "wasm") {
    const kernel = new WebAssembly.Instance(shared.module, { env: { memory: shared.memory } }).exports as unknown as ItemKnnExports;
    for (let start = claim(); start < rows; start = claim()) {
      const end = Math.min(rows, start + ITEM_KNN_CHUNK_ROWS);
      if (job.kind === "neighbours") {
        const n = job.layout;
        kernel.itemNeighbourRows(
          n.colPtr,
          n.colUsers,
          n.colVals,
          n.rowPtr,
          n.rowItems,
          n.rowVals,
          n.norms,
          n.outIdx,
          n.outScores,
          n.nItems,
          n.k,
          job.shrinkage,
          start,
          end,
          s.acc,
          s.heapScore,
          s.heapIdx,
        );
      } else {
        const r = job.layout;
        kernel.recommendFromNeighbourRows(
          r.rowPtr,
          r.rowItems,
          r.rowRatings,
          r.nbrIdx,
          r.nbrSim,
          r.nbrCount,
          r.queryRows,
          r.exclIndptr,
          r.exclIndices,
          r.exclusionNnz >= 0 ? 1 : 0,
          r.outIdx,
          r.outScores,
          r.k,
          r.num,
          start,
          end,
          s.acc,
          s.heapScore,
          s.heapIdx,
        );
      }
    }
    return;
  }
  const acc = new Float64Array(buffer, s.acc, l.nItems);
  const heap = new BoundedHeap(heapCap);
  if (job.kind === "neighbours") {
    const v = neighbourViews(buffer, job.layout);
    for (let start = claim(); start < rows; start = claim()) {
      itemNeighbourRows(v, l.nItems, job.layout.k, job.shrinkage, start, Math.min(rows, start + ITEM_KNN_CHUNK_ROWS), acc, heap);
    }
  } else {
    const v = recommendViews(buffer, job.layout);
    for (let start = claim(); start < rows; start = claim()) {
      recommendFromNeighbourRows(v, job.layout.k, job.layout.num, start, Math.min(rows, start + ITEM_KNN_CHUNK_ROWS), acc, heap);
    }
  }
}
