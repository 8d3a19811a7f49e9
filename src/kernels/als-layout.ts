/**
 * Where the ALS training state lives inside one (shared) buffer: both CSR matrices, both factor matrices,
 * YtY, the chunk scheduler's control words and one scratch region per thread. The layout is plain numbers
 * (byte offsets) so it can be posted to workers; each thread builds its own typed-array views from it.
 *
 * Bytes per rating: 16 (user CSR indices + values, item CSR indices + values, Int32/Float32), plus
 * 4*(users + items + 2) for the two indptr arrays and 4*kp (8*kp in f64) per user and item for the factors.
 */
import { ALS_WASM_RESERVED_BYTES } from "./als-wasm.js";
import { CG_GATHER_MAX_ROWS, type FactorArray } from "./als-half-step.js";
import { alsScratchBytes, paddedRank } from "./als-scratch.js";

/** Rows per scheduling chunk. Fixed (never derived from the worker count) so the work split, and with it every
 * result, is the same for any number of workers; ~1000 rows also lets V8 tier the wasm up between calls. */
export const ALS_CHUNK_ROWS = 1024;

/** A chunk also ends once it holds this many ratings, so a few very popular items (a Zipf catalogue's head) are
 * spread over many chunks instead of one thread solving them while the others wait. */
export const ALS_CHUNK_RATINGS = 65536;

export type AlsPrecision = "f32" | "f64";
export type AlsSide = "user" | "item";

export interface AlsSideLayout {
  rows: number;
  /** False when this memory holds only the side's factors (its CSR lives in the other side's memory). */
  csr: boolean;
  indptr: number;
  indices: number;
  values: number;
  factors: number;
}

export interface AlsLayout {
  nnz: number;
  k: number;
  kp: number;
  precision: AlsPrecision;
  user: AlsSideLayout;
  item: AlsSideLayout;
  gram: number;
  /** Int32 words: [0] next chunk to claim, then one status per chunk (-1 ok, else first failing row). */
  control: number;
  maxChunks: number;
  scratch: number;
  scratchBytes: number;
  scratchSlots: number;
  /** Rows of up to this many ratings fit the CG gather region of each scratch slot. */
  cgGatherCapacity: number;
  totalBytes: number;
}

export interface AlsSideViews {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  factors: FactorArray;
}

export function planAlsLayout(
  nUsers: number,
  nItems: number,
  nnz: number,
  rank: number,
  precision: AlsPrecision,
  scratchSlots: number,
  /** Longest row on either side when the CG solver is used (it gathers whole rows), else 0. */
  cgMaxRowLength = 0,
  /** The sides whose CSR this memory holds (both unless the state is split into one memory per side). */
  csrSides: readonly AlsSide[] = ["user", "item"],
): AlsLayout {
  const kp = paddedRank(rank);
  const fb = precision === "f64" ? 8 : 4;
  let at = ALS_WASM_RESERVED_BYTES;
  const take = (bytes: number): number => {
    const start = at;
    at = Math.ceil((at + bytes) / 64) * 64;
    return start;
  };
  const side = (rows: number, csr: boolean): AlsSideLayout => ({
    rows,
    csr,
    indptr: take(csr ? 4 * (rows + 1) : 0),
    indices: take(csr ? 4 * nnz : 0),
    values: take(csr ? 4 * nnz : 0),
    factors: take(fb * rows * kp),
  });
  const user = side(nUsers, csrSides.includes("user"));
  const item = side(nItems, csrSides.includes("item"));
  const gram = take(fb * kp * kp);
  const maxChunks = Math.ceil(Math.max(nUsers, nItems, 1) / ALS_CHUNK_ROWS) + Math.ceil(nnz / ALS_CHUNK_RATINGS) + 1;
  const control = take(4 * (1 + maxChunks));
  const cgGatherCapacity = Math.min(cgMaxRowLength, CG_GATHER_MAX_ROWS);
  const scratchBytes = alsScratchBytes(kp, cgGatherCapacity);
  const scratch = take(scratchBytes * scratchSlots);
  return { nnz, k: rank, kp, precision, user, item, gram, control, maxChunks, scratch, scratchBytes, scratchSlots, cgGatherCapacity, totalBytes: at };
}

function factorView(buffer: ArrayBufferLike, precision: AlsPrecision, offset: number, length: number): FactorArray {
  return precision === "f64" ? new Float64Array(buffer, offset, length) : new Float32Array(buffer, offset, length);
}

/** Views of one side; a side held as factors only gets empty CSR views. */
export function sideViews(buffer: ArrayBufferLike, layout: AlsLayout, side: AlsSide): AlsSideViews {
  const s = layout[side];
  return {
    indptr: new Int32Array(buffer, s.indptr, s.csr ? s.rows + 1 : 0),
    indices: new Int32Array(buffer, s.indices, s.csr ? layout.nnz : 0),
    values: new Float32Array(buffer, s.values, s.csr ? layout.nnz : 0),
    factors: factorView(buffer, layout.precision, s.factors, s.rows * layout.kp),
  };
}

export function gramView(buffer: ArrayBufferLike, layout: AlsLayout): FactorArray {
  return factorView(buffer, layout.precision, layout.gram, layout.kp * layout.kp);
}

export function controlView(buffer: ArrayBufferLike, layout: AlsLayout): Int32Array {
  return new Int32Array(buffer, layout.control, 1 + layout.maxChunks);
}

export function scratchView(buffer: ArrayBufferLike, layout: AlsLayout, slot: number): Uint8Array {
  return new Uint8Array(buffer, layout.scratch + slot * layout.scratchBytes, layout.scratchBytes);
}

/**
 * Where the ALS state lives: one memory for everything, or, when that would pass `maxBytes` (wasm32 caps a memory at
 * 4 GiB), one memory per side. Each side's memory then holds that side's CSR, both factor matrices, YtY, control
 * words and scratch, so a half-step runs entirely inside the memory of the side it solves; after it, the solved
 * factors are copied (exactly) into the other memory. Every row sees the same bytes as in a single memory, so the
 * results are bit-identical. This halves the bytes a memory needs per rating (8 instead of 16).
 */
export interface AlsSpaces {
  layouts: AlsLayout[];
  /** Index into layouts of the memory that solves each side. */
  user: number;
  item: number;
}

export function planAlsSpaces(
  nUsers: number,
  nItems: number,
  nnz: number,
  rank: number,
  precision: AlsPrecision,
  scratchSlots: number,
  cgMaxRowLength: number,
  maxBytes: number,
): AlsSpaces {
  const single = planAlsLayout(nUsers, nItems, nnz, rank, precision, scratchSlots, cgMaxRowLength);
  if (single.totalBytes <= maxBytes) return { layouts: [single], user: 0, item: 0 };
  const plan = (side: AlsSide): AlsLayout => planAlsLayout(nUsers, nItems, nnz, rank, precision, scratchSlots, cgMaxRowLength, [side]);
  return { layouts: [plan("user"), plan("item")], user: 0, item: 1 };
}
