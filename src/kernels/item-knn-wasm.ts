/**
 * Binding for the item-knn kernels (assembly/item-knn.ts -> wasm/itemknn.wasm) and the loop every thread runs: claim
 * the next fixed chunk of rows from a shared counter (Atomics), run it with either engine, repeat. A recommend job is
 * one phase of independent rows. A neighbour job is two, every thread finishing the first before any starts the
 * second: pairs (each pair once, into the thread's own heap per item), then merge (each item's top k over every
 * thread's heaps). The top k under a total order does not depend on how the candidates were split, so which thread
 * runs a chunk never changes a byte of the output.
 */
import { readFileSync } from "node:fs";
import { BoundedHeap } from "./bounded-heap.js";
import { ItemHeaps } from "./item-heaps.js";
import { clearNeighbourHeaps, itemNeighbourPairs, mergeNeighbourHeaps, recommendFromNeighbourRows, type NeighbourHeaps } from "./item-knn.js";
import {
  ITEM_KNN_CHUNK_ROWS,
  neighbourScratchOffsets,
  neighbourViews,
  recommendViews,
  scratchOffsets,
  type NeighbourLayout,
  type RecommendLayout,
} from "./item-knn-layout.js";

/** 65536 pages = 4 GiB, as scripts/build-wasm.mjs declares: an imported shared memory must match the declared maximum. */
const ITEM_KNN_MAX_PAGES = 65536;
const PAGE_BYTES = 65536;

interface ItemKnnExports {
  itemNeighbourPairs(
    colPtr: number,
    colRowEnd: number,
    colVals: number,
    colRowPos: number,
    rowPtr: number,
    rowItems: number,
    rowVals: number,
    norms: number,
    nItems: number,
    k: number,
    shrinkage: number,
    rowStart: number,
    rowEnd: number,
    acc: number,
    heapScores: number,
    heapFloors: number,
    heapIdx: number,
    heapSizes: number,
  ): void;
  mergeNeighbourHeaps(
    outIdx: number,
    outScores: number,
    k: number,
    rowStart: number,
    rowEnd: number,
    slots: number,
    heapScores0: number,
    heapIdx0: number,
    heapSizes0: number,
    slotBytes: number,
    mergeScore: number,
    mergeIdx: number,
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

/** How many phases a job has; the pool runs phase p on every thread only after all threads finished phase p - 1. */
export function phasesOf(job: ItemKnnJob): number {
  return job.kind === "neighbours" ? 2 : 1;
}

/** Worker slot `slot`'s heap per item and floors (neighbour jobs' phase 1 fills them, phase 2 reads every slot's heaps). */
function neighbourHeapsOf(buffer: ArrayBufferLike, l: NeighbourLayout, slot: number): NeighbourHeaps {
  const s = neighbourScratchOffsets(l, slot);
  const heaps = new ItemHeaps(
    l.k,
    new Float64Array(buffer, s.heapScores, l.nItems * l.k),
    new Int32Array(buffer, s.heapIdx, l.nItems * l.k),
    new Int32Array(buffer, s.heapSizes, l.nItems),
  );
  return { heaps, floors: new Float64Array(buffer, s.heapFloors, l.nItems) };
}

/**
 * Before a job's first phase, on the calling thread: a neighbour job's per-item heaps empty in every worker slot of
 * its layout (the merge reads them all, so a slot no thread ran must hold nothing).
 */
export function prepareItemKnnJob(shared: ItemKnnShared, job: ItemKnnJob): void {
  if (job.kind !== "neighbours") return;
  const buffer = itemKnnBuffer(shared);
  for (let slot = 0; slot < Math.max(1, job.layout.workers); slot++) clearNeighbourHeaps(neighbourHeapsOf(buffer, job.layout, slot));
}

/** Claims and runs chunks of phase `phase` of `job` with scratch slot `slot` until none is left. */
export function runItemKnnChunks(shared: ItemKnnShared, job: ItemKnnJob, slot: number, phase = 0): void {
  if (job.kind === "neighbours") runNeighbourChunks(shared, job, slot, phase);
  else runRecommendChunks(shared, job, slot);
}

function claimer(buffer: ArrayBufferLike, control: number): () => number {
  const counter = new Int32Array(buffer, control, 4);
  return () => Atomics.add(counter, 0, ITEM_KNN_CHUNK_ROWS);
}

function runNeighbourChunks(shared: ItemKnnShared, job: Extract<ItemKnnJob, { kind: "neighbours" }>, slot: number, phase: number): void {
  const buffer = itemKnnBuffer(shared);
  const n = job.layout;
  const rows = n.nItems;
  const claim = claimer(buffer, n.control);
  const s = neighbourScratchOffsets(n, slot);
  if (shared.engine === "wasm") {
    const kernel = new WebAssembly.Instance(shared.module, { env: { memory: shared.memory } }).exports as unknown as ItemKnnExports;
    const slot0 = neighbourScratchOffsets(n, 0);
    for (let start = claim(); start < rows; start = claim()) {
      const end = Math.min(rows, start + ITEM_KNN_CHUNK_ROWS);
      if (phase === 0) {
        kernel.itemNeighbourPairs(
          n.colPtr,
          n.colRowEnd,
          n.colVals,
          n.colRowPos,
          n.rowPtr,
          n.rowItems,
          n.rowVals,
          n.norms,
          n.nItems,
          n.k,
          job.shrinkage,
          start,
          end,
          s.acc,
          s.heapScores,
          s.heapFloors,
          s.heapIdx,
          s.heapSizes,
        );
      } else {
        const slots = Math.max(1, n.workers);
        kernel.mergeNeighbourHeaps(
          n.outIdx,
          n.outScores,
          n.k,
          start,
          end,
          slots,
          slot0.heapScores,
          slot0.heapIdx,
          slot0.heapSizes,
          n.scratchBytesPerWorker,
          s.mergeScore,
          s.mergeIdx,
        );
      }
    }
    return;
  }
  const v = neighbourViews(buffer, n);
  if (phase === 0) {
    const acc = new Float64Array(buffer, s.acc, n.nItems);
    const mine = neighbourHeapsOf(buffer, n, slot);
    for (let start = claim(); start < rows; start = claim())
      itemNeighbourPairs(v, n.nItems, job.shrinkage, start, Math.min(rows, start + ITEM_KNN_CHUNK_ROWS), acc, mine);
  } else {
    const slots = Array.from({ length: Math.max(1, n.workers) }, (_, t) => neighbourHeapsOf(buffer, n, t).heaps);
    const heap = new BoundedHeap(n.k);
    for (let start = claim(); start < rows; start = claim()) mergeNeighbourHeaps(v, n.k, slots, start, Math.min(rows, start + ITEM_KNN_CHUNK_ROWS), heap);
  }
}

function runRecommendChunks(shared: ItemKnnShared, job: Extract<ItemKnnJob, { kind: "recommend" }>, slot: number): void {
  const buffer = itemKnnBuffer(shared);
  const l = job.layout;
  const rows = l.nQueries;
  const s = scratchOffsets(l.scratch, l.scratchBytesPerWorker, slot, l.nItems, l.num);
  const claim = claimer(buffer, l.control);
  if (shared.engine === "wasm") {
    const kernel = new WebAssembly.Instance(shared.module, { env: { memory: shared.memory } }).exports as unknown as ItemKnnExports;
    for (let start = claim(); start < rows; start = claim()) {
      const end = Math.min(rows, start + ITEM_KNN_CHUNK_ROWS);
      kernel.recommendFromNeighbourRows(
        l.rowPtr,
        l.rowItems,
        l.rowRatings,
        l.nbrIdx,
        l.nbrSim,
        l.nbrCount,
        l.queryRows,
        l.exclIndptr,
        l.exclIndices,
        l.exclusionNnz >= 0 ? 1 : 0,
        l.outIdx,
        l.outScores,
        l.k,
        l.num,
        start,
        end,
        s.acc,
        s.heapScore,
        s.heapIdx,
      );
    }
    return;
  }
  const acc = new Float64Array(buffer, s.acc, l.nItems);
  const heap = new BoundedHeap(l.num);
  const v = recommendViews(buffer, l);
  for (let start = claim(); start < rows; start = claim()) {
    recommendFromNeighbourRows(v, l.k, l.num, start, Math.min(rows, start + ITEM_KNN_CHUNK_ROWS), acc, heap);
  }
}
