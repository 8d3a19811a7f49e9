/** Random ALS half-step problems laid out inside a shared wasm memory, so the wasm kernel and its TS twin run on the same arrays. */
import { alsScratchBytes, paddedRank } from "../../src/kernels/als-scratch.js";
import { createAlsMemory, instantiateAlsKernels, readAlsWasmBytes, ALS_WASM_RESERVED_BYTES, type AlsKernels } from "../../src/kernels/als-wasm.js";
import type { HalfStepArgs, SolverCode } from "../../src/kernels/als-half-step.js";
import { relaxedSimdAvailable, type AlsKernelName } from "../../src/kernels/als-kernel-choice.js";

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Problem {
  kernels: AlsKernels;
  args: HalfStepArgs;
  /** Resets `out` to the warm start (CG reads it). */
  reset(): void;
}

/** rows x cols ratings at the given density (at least `minPerRow` a row, some rows empty when minPerRow = 0). */
export function makeProblem(o: {
  rows: number;
  cols: number;
  k: number;
  perRow: number;
  seed: number;
  implicit?: boolean;
  solver?: SolverCode;
  regParam?: number;
  alpha?: number;
  emptyEvery?: number;
  ratingsWithZeros?: boolean;
  cgGatherCapacity?: number;
  /** The kernel build to instantiate (default the portable one); "simd128-fma" turns relaxed SIMD on first. */
  kernel?: AlsKernelName;
  /** Other kernel bytes to instantiate instead (an A/B against another build). */
  wasmBytes?: Uint8Array;
}): Problem {
  const rand = rng(o.seed);
  const kp = paddedRank(o.k);
  const indptrA = [0];
  const indicesA: number[] = [];
  const valuesA: number[] = [];
  for (let r = 0; r < o.rows; r++) {
    const n = o.emptyEvery && r % o.emptyEvery === 0 ? 0 : 1 + Math.floor(rand() * o.perRow * 2);
    for (let s = 0; s < n; s++) {
      indicesA.push(Math.floor(rand() * o.cols));
      let v = 1 + Math.floor(rand() * 5);
      if (o.implicit && o.ratingsWithZeros) v = Math.floor(rand() * 7) - 2; // some <= 0
      valuesA.push(v);
    }
    indptrA.push(indicesA.length);
  }
  const nnz = indicesA.length;
  let at = ALS_WASM_RESERVED_BYTES;
  const take = (bytes: number): number => {
    const s = at;
    at += Math.ceil(bytes / 64) * 64;
    return s;
  };
  const pIndptr = take(4 * (o.rows + 1));
  const pIndices = take(4 * nnz);
  const pValues = take(4 * nnz);
  const pSrc = take(4 * o.cols * kp);
  const pOut = take(4 * o.rows * kp);
  const pGram = take(4 * kp * kp);
  let longest = 0;
  for (let r = 0; r < o.rows; r++) longest = Math.max(longest, indptrA[r + 1] - indptrA[r]);
  const scratchBytes = alsScratchBytes(kp, longest);
  const pScratch = take(scratchBytes);
  const memory = createAlsMemory(at);
  const buf = memory.buffer;
  const indptr = new Int32Array(buf, pIndptr, o.rows + 1);
  indptr.set(indptrA);
  const indices = new Int32Array(buf, pIndices, nnz);
  indices.set(indicesA);
  const values = new Float32Array(buf, pValues, nnz);
  values.set(valuesA);
  const src = new Float32Array(buf, pSrc, o.cols * kp);
  for (let c = 0; c < o.cols; c++) for (let i = 0; i < o.k; i++) src[c * kp + i] = rand() - 0.5;
  const out = new Float32Array(buf, pOut, o.rows * kp);
  const warm = new Float32Array(o.rows * kp);
  for (let r = 0; r < o.rows; r++) for (let i = 0; i < o.k; i++) warm[r * kp + i] = (rand() - 0.5) * 0.2;
  const gram = new Float32Array(buf, pGram, kp * kp);
  if (o.kernel === "simd128-fma" && !relaxedSimdAvailable()) throw new Error(`this Node (${process.version}) cannot run relaxed SIMD`);
  const kernels = instantiateAlsKernels(o.wasmBytes ?? readAlsWasmBytes(o.kernel), memory);
  if (o.implicit) kernels.gramAccumulate(src, 0, o.cols, kp, gram);
  const args: HalfStepArgs = {
    indptr,
    indices,
    values,
    src,
    out,
    gram: o.implicit ? gram : null,
    kp,
    k: o.k,
    regParam: o.regParam ?? 0.1,
    alpha: o.alpha ?? 2,
    implicit: !!o.implicit,
    solver: o.solver ?? 0,
    cgSteps: 3,
    rowStart: 0,
    rowEnd: o.rows,
    scratch: new Uint8Array(buf, pScratch, scratchBytes),
    cgGatherCapacity: o.cgGatherCapacity ?? longest,
  };
  const reset = (): void => out.set(warm);
  reset();
  return { kernels, args, reset };
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
