/**
 * One ALS half-step over a range of CSR rows: for each destination row (a user when solving users), build its
 * normal equations from the fixed side's factors and solve them in place. This file is the plain TypeScript
 * twin of assembly/als-half-step.ts (`solveRows`, `gramAccumulate`): same arguments, f64 arithmetic, textbook loops. It is the
 * test oracle for the wasm kernel and the engine when WebAssembly is unavailable (engine "js") or when
 * precision "f64" is asked for (Spark-parity tests).
 *
 * Maths (Spark's ALS.computeFactors in mllib/.../ml/recommendation/ALS.scala, and NormalEquation):
 *   explicit: A = sum_s y_s y_s^T + regParam*n*I,                  b = sum_s r_s y_s,       n  = #ratings (dups count)
 *   implicit: A = YtY + sum_s alpha|r_s| y_s y_s^T + regParam*n+*I, b = sum_{r_s>0} (1+alpha r_s) y_s, n+ = #(r_s > 0)
 * Factor rows have stride kp (rank k padded to a multiple of 4); padded lanes are written as 0.
 */
import { choleskySolve } from "./cholesky.js";
import { nnlsSolve } from "./nnls.js";

export type FactorArray = Float32Array | Float64Array;

/** Solver codes shared with the wasm kernel. nonnegative=true selects NNLS whatever `solver` says (Spark). */
export const SOLVER_CHOLESKY = 0;
export const SOLVER_CG = 1;
export const SOLVER_NNLS = 2;
export type SolverCode = typeof SOLVER_CHOLESKY | typeof SOLVER_CG | typeof SOLVER_NNLS;

/**
 * Conjugate-gradient steps per row and half-step for solver "cg" (benfred/implicit's default is 3). Each
 * half-step warm-starts from the row's previous factors, so a few steps per sweep track the exact solution.
 */
export const DEFAULT_CG_STEPS = 3;

/**
 * Longest row the CG kernel gathers into scratch (64 MiB a thread at rank 64); longer rows, only the most popular
 * items of very large catalogues, read the factor matrix in place (slower per rating, same result).
 */
export const CG_GATHER_MAX_ROWS = 262_144;

export interface HalfStepArgs {
  /** CSR of the side being solved: row r's ratings are indices/values[indptr[r], indptr[r+1]). */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  /** Fixed factors (the other side), stride kp. */
  src: FactorArray;
  /** Factors being solved, stride kp; read as the warm start by CG, overwritten for rows [rowStart, rowEnd). */
  out: FactorArray;
  /** Implicit only: YtY of `src`, full kp x kp; null for explicit. */
  gram: FactorArray | null;
  kp: number;
  k: number;
  regParam: number;
  alpha: number;
  implicit: boolean;
  solver: SolverCode;
  cgSteps: number;
  rowStart: number;
  rowEnd: number;
  /** Per-thread scratch, `alsScratchBytes(kp, longest row if solver is CG)` bytes, 16-byte aligned (the wasm kernel works in it; the twin ignores it). */
  scratch: Uint8Array;
  /** CG only: rows with at most this many ratings are gathered into scratch first (wasm; the twin ignores it). */
  cgGatherCapacity: number;
}

/** Returns -1 when every row was solved, else the first row whose system is not positive definite. */
export type SolveRows = (a: HalfStepArgs) => number;
/** outGram += sum over rows [rowStart, rowEnd) of y y^T, full kp x kp. */
export type GramAccumulate = (Y: FactorArray, rowStart: number, rowEnd: number, kp: number, outGram: FactorArray) => void;
/**
 * outGram += that sum for output rows [bandStart, bandEnd) (multiples of 4) only; the wasm kernel fills only their
 * upper-triangle tiles, so the caller mirrors once all bands are in (als-gram.ts).
 */
export type GramBands = (Y: FactorArray, rowStart: number, rowEnd: number, kp: number, outGram: FactorArray, bandStart: number, bandEnd: number) => void;

export const solveRowsJs: SolveRows = (a) => {
  const { indptr, indices, values, src, out, gram, kp, k, alpha, implicit } = a;
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  const x = new Float64Array(k);
  for (let row = a.rowStart; row < a.rowEnd; row++) {
    const begin = indptr[row];
    const end = indptr[row + 1];
    const xo = row * kp;
    if (begin >= end) {
      out.fill(0, xo, xo + kp);
      continue;
    }
    let n = end - begin;
    if (implicit) {
      n = 0;
      for (let s = begin; s < end; s++) if (values[s] > 0) n++;
    }
    const lambda = a.regParam * n;
    if (a.solver === SOLVER_CG) {
      for (let i = 0; i < k; i++) x[i] = out[xo + i];
      cgRow(a, begin, end, lambda, x);
    } else {
      A.fill(0);
      b.fill(0);
      if (implicit && gram) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) A[i * k + j] = gram[i * kp + j];
      for (let s = begin; s < end; s++) {
        const yo = indices[s] * kp;
        const r = values[s];
        const c1 = implicit ? alpha * Math.abs(r) : 1;
        const bw = implicit ? (r > 0 ? 1 + c1 : 0) : r;
        for (let i = 0; i < k; i++) {
          const yi = src[yo + i];
          b[i] += bw * yi;
          const ci = c1 * yi;
          for (let j = i; j < k; j++) A[i * k + j] += ci * src[yo + j];
        }
      }
      for (let i = 0; i < k; i++) {
        A[i * k + i] += lambda;
        for (let j = i + 1; j < k; j++) A[j * k + i] = A[i * k + j];
      }
      if (a.solver === SOLVER_NNLS) nnlsSolve(A, b, k, x);
      else if (!choleskySolve(A, b, k, x)) return row;
    }
    for (let i = 0; i < k; i++) out[xo + i] = x[i];
    for (let i = k; i < kp; i++) out[xo + i] = 0;
  }
  return -1;
};

/** benfred/implicit `_least_squares_cg`: r = b - A x from the warm start, then a fixed number of CG steps. */
function cgRow(a: HalfStepArgs, begin: number, end: number, lambda: number, x: Float64Array): void {
  const { indices, values, src, gram, kp, k, alpha, implicit } = a;
  const r = new Float64Array(k);
  const p = new Float64Array(k);
  const Ap = new Float64Array(k);
  const baseMatVec = (outV: Float64Array, v: Float64Array): void => {
    for (let i = 0; i < k; i++) {
      let s = lambda * v[i];
      if (gram) for (let j = 0; j < k; j++) s += gram[i * kp + j] * v[j];
      outV[i] = s;
    }
  };
  const dotY = (yo: number, v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < k; i++) s += src[yo + i] * v[i];
    return s;
  };
  const dot = (u: Float64Array, v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < k; i++) s += u[i] * v[i];
    return s;
  };
  baseMatVec(r, x);
  for (let i = 0; i < k; i++) r[i] = -r[i];
  for (let s = begin; s < end; s++) {
    const yo = indices[s] * kp;
    const rating = values[s];
    const w = implicit ? alpha * Math.abs(rating) : 1;
    const bw = implicit ? (rating > 0 ? 1 + w : 0) : rating;
    const c = bw - w * dotY(yo, x);
    for (let i = 0; i < k; i++) r[i] += c * src[yo + i];
  }
  p.set(r);
  let rsold = dot(r, r);
  if (rsold < 1e-20) return;
  for (let it = 0; it < a.cgSteps; it++) {
    baseMatVec(Ap, p);
    for (let s = begin; s < end; s++) {
      const w = implicit ? alpha * Math.abs(values[s]) : 1;
      if (w === 0) continue;
      const yo = indices[s] * kp;
      const c = w * dotY(yo, p);
      for (let i = 0; i < k; i++) Ap[i] += c * src[yo + i];
    }
    const pAp = dot(p, Ap);
    if (!(pAp > 0)) return;
    const step = rsold / pAp;
    for (let i = 0; i < k; i++) {
      x[i] += step * p[i];
      r[i] -= step * Ap[i];
    }
    const rsnew = dot(r, r);
    if (rsnew < 1e-20) return;
    const beta = rsnew / rsold;
    for (let i = 0; i < k; i++) p[i] = r[i] + beta * p[i];
    rsold = rsnew;
  }
}

export const gramAccumulateJs: GramAccumulate = (Y, rowStart, rowEnd, kp, outGram) => gramBandsJs(Y, rowStart, rowEnd, kp, outGram, 0, kp);

/**
 * gramAccumulateJs for output rows [bandStart, bandEnd) only (every column: the twin fills both triangles, each
 * entry its own f64 sum, so (i, j) and (j, i) are equal and mirroring them changes nothing). Entries are
 * independent, so any split of the rows between threads gives gramAccumulateJs's values.
 */
export const gramBandsJs: GramBands = (Y, rowStart, rowEnd, kp, outGram, bandStart, bandEnd) => {
  const acc = new Float64Array(kp * kp);
  for (let row = rowStart; row < rowEnd; row++) {
    const yo = row * kp;
    for (let i = bandStart; i < bandEnd; i++) {
      const yi = Y[yo + i];
      if (yi === 0) continue;
      for (let j = 0; j < kp; j++) acc[i * kp + j] += yi * Y[yo + j];
    }
  }
  for (let i = bandStart * kp; i < bandEnd * kp; i++) outGram[i] += acc[i];
};
