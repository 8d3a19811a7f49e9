/**
 * The loop every ALS thread runs for one half-step: claim the next fixed chunk of rows from a shared counter
 * (Atomics), solve it, record its status, repeat. Which thread solves a chunk does not matter: each row's
 * result depends only on its own ratings and the fixed side's factors, so the output is identical for any
 * number of threads.
 */
import type { SolverCode, SolveRows } from "../kernels/als-half-step.js";
import { fillCsr } from "../kernels/ratings-csr.js";
import type { AlsGramJob, AlsObjectiveJob } from "./als-sweep-jobs.js";
import { ALS_CHUNK_RATINGS, ALS_CHUNK_ROWS, controlView, gramView, scratchView, sideViews, type AlsLayout, type AlsSide } from "../kernels/als-layout.js";

/** One half-step, as posted to workers (numbers and strings only). */
export interface AlsHalfStepJob {
  /** The side being solved; the other side's factors are held fixed. */
  side: AlsSide;
  regParam: number;
  alpha: number;
  implicit: boolean;
  solver: SolverCode;
  cgSteps: number;
}

export function otherSide(side: AlsSide): AlsSide {
  return side === "user" ? "item" : "user";
}

/**
 * Chunk boundaries of one side: a chunk closes at ALS_CHUNK_ROWS rows or ALS_CHUNK_RATINGS ratings, whichever comes
 * first. They depend on the CSR alone, never on the thread count, so every thread derives the same ones.
 */
export function chunkStarts(indptr: Int32Array, rows: number): Int32Array {
  const starts: number[] = [0];
  let start = 0;
  for (let r = 0; r < rows; r++) {
    if (r + 1 - start >= ALS_CHUNK_ROWS || indptr[r + 1] - indptr[start] >= ALS_CHUNK_RATINGS) {
      starts.push(r + 1);
      start = r + 1;
    }
  }
  if (starts[starts.length - 1] !== rows) starts.push(rows);
  return Int32Array.from(starts);
}

export function runChunks(solveRows: SolveRows, buffer: ArrayBufferLike, layout: AlsLayout, job: AlsHalfStepJob, slot: number): void {
  const dst = sideViews(buffer, layout, job.side);
  const src = sideViews(buffer, layout, otherSide(job.side));
  const control = controlView(buffer, layout);
  const rows = layout[job.side].rows;
  const starts = chunkStarts(dst.indptr, rows);
  const chunks = starts.length - 1;
  const args = {
    indptr: dst.indptr,
    indices: dst.indices,
    values: dst.values,
    src: src.factors,
    out: dst.factors,
    gram: job.implicit ? gramView(buffer, layout) : null,
    kp: layout.kp,
    k: layout.k,
    regParam: job.regParam,
    alpha: job.alpha,
    implicit: job.implicit,
    solver: job.solver,
    cgSteps: job.cgSteps,
    rowStart: 0,
    rowEnd: 0,
    scratch: scratchView(buffer, layout, slot),
    cgGatherCapacity: layout.cgGatherCapacity,
  };
  for (;;) {
    const c = Atomics.add(control, 0, 1);
    if (c >= chunks) return;
    args.rowStart = starts[c];
    args.rowEnd = starts[c + 1];
    Atomics.store(control, 1 + c, solveRows(args));
  }
}

/** One side's CSR to fill from (row, col, rating) triples; SharedArrayBuffer views when a worker fills it (als-pool.ts). */
export interface AlsCsrJob {
  side: AlsSide;
  rowOf: Int32Array;
  colOf: Int32Array;
  rating: Float32Array;
  rows: number;
}

/** One side's Spark initial factors to draw (sparkAlsInitialFactors's arguments), as posted to a worker. */
export interface AlsInitJob {
  ids: Int32Array;
  rank: number;
  seed: bigint;
  numBlocks: number;
}

export type AlsWorkerMessage =
  | ({ type: "halfStep" } & AlsHalfStepJob)
  | ({ type: "gram" } & AlsGramJob)
  | ({ type: "objective" } & AlsObjectiveJob)
  | ({ type: "fillCsr" } & AlsCsrJob)
  | ({ type: "initialFactors" } & AlsInitJob)
  | { type: "close" };
/** A worker's answer: done (with the factors of an initialFactors job) or the error it caught. */
export interface AlsWorkerReply {
  type: "done" | "error";
  message?: string;
  factors?: Float32Array;
}

/** Fills `job.side`'s CSR in `buffer` (the memory that solves that side), on whichever thread calls it. */
export function fillSideCsr(buffer: ArrayBufferLike, layout: AlsLayout, job: AlsCsrJob): void {
  const v = sideViews(buffer, layout, job.side);
  fillCsr(job.rowOf, job.colOf, job.rating, job.rows, v.indptr, v.indices, v.values);
}
