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
  nUsers: number, nItems: number, nnz: number, rank: number, precision: AlsPrecision, scratchSlots: number,
  /** Longest row on either side when the CG solver is used (it gathers whole rows), else 0. */
  cgMaxRowLength = 0,
): AlsLayout {
  const kp = paddedRank(rank);
  const fb = precision === "f64" ? 8 : 4;
  let at = ALS_WASM_RESERVED_BYTES;
  const take = (bytes: number): number => {
    const start = at;
    at = Math.ceil((at + bytes) / 64) * 64;
    return start;
  };
  const side = (rows: number): AlsSideLayout => ({
    rows,
    indptr: take(4 * (rows + 1)),
    indices: take(4 * nnz),
    values: take(4 * nnz),
    factors: take(fb * rows * kp),
  });
  const user = side(nUsers);
  const item = side(nItems);
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

export function sideViews(buffer: ArrayBufferLike, layout: AlsLayout, side: AlsSide): AlsSideViews {
  const s = layout[side];
  return {
    indptr: new Int32Array(buffer, s.indptr, s.rows + 1),
    indices: new Int32Array(buffer, s.indices, layout.nnz),
    values: new Float32Array(buffer, s.values, layout.nnz),
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
