/**
 * ALS training engine: ratings in, user and item factors out (Spark's ALS.train on one machine).
 *
 * Ids are mapped to dense indices in ascending order; the ratings become a user-major CSR and its item-major
 * transpose, written by counting sort straight into the kernels' shared memory. Each sweep solves the ITEM
 * factors from the user factors, then the USER factors from the item factors (Spark's order). A half-step is
 * split into fixed 1024-row chunks that worker threads claim; each row is solved independently, so the
 * factors are bit-identical for any worker count.
 *
 * Memory: 16 bytes a rating resident (two CSRs of Int32 index + Float32 value), plus 8 bytes a rating while the
 * dense ids are built; factors are 4*kp bytes per user and item (kp = rank padded to a multiple of 4).
 * No per-rating JS objects. wasm32 caps one memory at 4 GiB (about 250M ratings at rank 10).
 */
import { InputError } from "../../src/core/errors.js";
import {
  DEFAULT_CG_STEPS, SOLVER_CG, SOLVER_CHOLESKY, SOLVER_NNLS, gramAccumulateJs, solveRowsJs,
  type FactorArray, type GramAccumulate, type SolverCode, type SolveRows,
} from "../../src/kernels/als-half-step.js";
import { ALS_CHUNK_ROWS, gramView, planAlsLayout, sideViews, type AlsSide } from "../../src/kernels/als-layout.js";
import { alsWasmAvailable, createAlsMemory, instantiateAlsKernels, readAlsWasmBytes } from "../../src/kernels/als-wasm.js";
import { AlsPool } from "../../src/workers/als-pool.js";
import type { AlsHalfStepJob } from "../../src/workers/als-chunks.js";
import { denseIndex } from "../../src/kernels/dense-ids.js";
import { fillCsr } from "./ratings-csr.js";
import type { AlsSideViews } from "../../src/kernels/als-layout.js";
import { sparkAlsInitialFactors, sparkAlsInitSeeds } from "../../src/core/spark-random.js";
import { alsObjective } from "./objective.js";

export interface AlsRatings {
  /** Raw int32 ids, any order, duplicates allowed (each duplicate adds its own term, as in Spark). */
  user: Int32Array;
  item: Int32Array;
  rating: Float32Array;
}

export interface AlsTrainParams {
  rank: number;
  maxIter: number;
  regParam: number;
  alpha: number;
  implicitPrefs: boolean;
  nonnegative: boolean;
  seed: number;
  solver: "cholesky" | "cg";
  /** Spark's partition counts; they only decide the initial-factor stream (default 10, as Spark). */
  numUserBlocks?: number;
  numItemBlocks?: number;
}

export interface AlsTrainOptions {
  workers: number;
  /** Default "wasm" when WebAssembly is available; precision "f64" always runs the TypeScript kernels. */
  engine?: "wasm" | "js";
  precision?: "f32" | "f64";
  onIteration?: (iter: number, maxIter: number) => void;
  computeLoss?: boolean;
}

export interface AlsFactors {
  rank: number;
  /** Ascending. */
  userIds: Int32Array;
  /** userIds.length * rank, row-major, unpadded. */
  userFactors: Float32Array;
  itemIds: Int32Array;
  itemFactors: Float32Array;
  /** Training objective (objective.ts) after each sweep when computeLoss, else []. */
  lossHistory: number[];
}

/**
 * Multiply-adds up to which the per-sweep training objective is computed exactly (see objective.ts): ratings x rank,
 * plus users x rank^2 for implicit's Gram term. Beyond, every n-th user is summed: the objective runs in plain
 * JavaScript on this thread, and at rank 64 an exact pass would cost more than the sweep it reports on.
 */
const LOSS_EXACT_WORK = 2_500_000;

export async function trainAls(r: AlsRatings, p: AlsTrainParams, o: AlsTrainOptions): Promise<AlsFactors> {
  const nnz = r.user.length;
  if (r.item.length !== nnz || r.rating.length !== nnz) {
    throw new InputError("E_DATA", `ALS ratings: user, item and rating columns must have the same length; got ${nnz}, ${r.item.length}, ${r.rating.length}`);
  }
  if (nnz === 0) throw new InputError("E_DATA", "No ratings available from the training data: ALS needs at least one (user, item, rating) row");
  for (let i = 0; i < nnz; i++) {
    if (!Number.isFinite(r.rating[i])) {
      throw new InputError("E_DATA", `Ratings MUST NOT be Null, NaN or infinite: rating row ${i} is ${r.rating[i]}`);
    }
  }
  guardParams(p, o);
  const precision = o.precision ?? "f32";
  const engine = precision === "f64" || o.engine === "js" || !alsWasmAvailable() ? "js" : "wasm";
  const workers = Math.floor(o.workers);
  const rank = p.rank;

  // ids -> dense indices; the per-rating index arrays are transient (8 bytes a rating)
  const userOf = new Int32Array(nnz);
  const itemOf = new Int32Array(nnz);
  const userIds = denseIndex(r.user, userOf);
  const itemIds = denseIndex(r.item, itemOf);

  const solver: SolverCode = p.nonnegative ? SOLVER_NNLS : p.solver === "cg" ? SOLVER_CG : SOLVER_CHOLESKY;
  const cgMaxRowLength = solver === SOLVER_CG ? Math.max(longestRow(userOf, userIds.length), longestRow(itemOf, itemIds.length)) : 0;
  const layout = planAlsLayout(userIds.length, itemIds.length, nnz, rank, precision, workers + 1, cgMaxRowLength);
  const memory = engine === "wasm" ? createAlsMemory(layout.totalBytes) : null;
  const buffer: SharedArrayBuffer = memory ? (memory.buffer as SharedArrayBuffer) : new SharedArrayBuffer(layout.totalBytes);
  let localSolve: SolveRows = solveRowsJs;
  let gramAccumulate: GramAccumulate = gramAccumulateJs;
  let wasmBytes: Uint8Array | null = null;
  if (memory) {
    wasmBytes = readAlsWasmBytes();
    const kernels = instantiateAlsKernels(wasmBytes, memory);
    localSolve = kernels.solveRows;
    gramAccumulate = kernels.gramAccumulate;
  }
  // Workers boot (module load, wasm compile) while this thread fills the CSR and the initial factors; they read
  // nothing until the first half-step job arrives.
  const poolStarting = AlsPool.start({
    workers, engine, layout, memory, wasmBytes, buffer: engine === "js" ? buffer : null, localSolveRows: localSolve,
  });
  let users: AlsSideViews, items: AlsSideViews, kp: number;
  try {
    users = sideViews(buffer, layout, "user");
    items = sideViews(buffer, layout, "item");
    fillCsr(userOf, itemOf, r.rating, userIds.length, users.indptr, users.indices, users.values);
    fillCsr(itemOf, userOf, r.rating, itemIds.length, items.indptr, items.indices, items.values);

    kp = layout.kp;
    // Spark's own initial factors (ALS.initialize): the same seed and block counts give the same starting point as
    // Spark, and they depend on (seed, id, numBlocks) only, never on the worker count.
    const initSeeds = sparkAlsInitSeeds(p.seed);
    copyPadded(sparkAlsInitialFactors(userIds, rank, initSeeds.user, p.numUserBlocks ?? 10), users.factors, rank, kp);
    copyPadded(sparkAlsInitialFactors(itemIds, rank, initSeeds.item, p.numItemBlocks ?? 10), items.factors, rank, kp);
  } catch (e) {
    // Never leave booting workers behind when the setup fails.
    void poolStarting.then((pool) => pool.close());
    throw e;
  }

  const gram = gramView(buffer, layout);
  const computeGram = (Y: FactorArray, rows: number): void => {
    gram.fill(0);
    // sequential fixed chunks: the same sum order whatever the worker count
    for (let s = 0; s < rows; s += ALS_CHUNK_ROWS) gramAccumulate(Y, s, Math.min(rows, s + ALS_CHUNK_ROWS), kp, gram);
  };

  const pool = await poolStarting;
  const lossHistory: number[] = [];
  try {
    for (let iter = 0; iter < p.maxIter; iter++) {
      for (const side of ["item", "user"] as AlsSide[]) {
        const fixed = side === "item" ? users : items;
        if (p.implicitPrefs) computeGram(fixed.factors, layout[side === "item" ? "user" : "item"].rows);
        const job: AlsHalfStepJob = {
          side, regParam: p.regParam, alpha: p.alpha, implicit: p.implicitPrefs, solver, cgSteps: DEFAULT_CG_STEPS,
        };
        const failed = await pool.halfStep(job);
        if (failed >= 0) throw singularError(side, side === "user" ? userIds[failed] : itemIds[failed], p);
      }
      if (o.computeLoss) {
        if (p.implicitPrefs) computeGram(items.factors, layout.item.rows);
        // Exact up to LOSS_EXACT_WORK; beyond, a fixed every-n-th-user sample keeps its cost to a few ms a sweep.
        const work = nnz * rank + (p.implicitPrefs ? userIds.length * rank * rank : 0);
        const stride = Math.max(1, Math.ceil(work / LOSS_EXACT_WORK));
        lossHistory.push(alsObjective(users, items, rank, kp, p.regParam, p.alpha, p.implicitPrefs, p.implicitPrefs ? gram : null, stride));
      }
      o.onIteration?.(iter + 1, p.maxIter);
    }
  } finally {
    await pool.close();
  }
  return {
    rank,
    userIds,
    userFactors: unpad(users.factors, userIds.length, rank, kp),
    itemIds,
    itemFactors: unpad(items.factors, itemIds.length, rank, kp),
    lossHistory,
  };
}

function guardParams(p: AlsTrainParams, o: AlsTrainOptions): void {
  const bad = (what: string, v: unknown): never => {
    throw new InputError("E_SPEC", `ALS ${what}; got ${String(v)}`);
  };
  if (!Number.isInteger(p.rank) || p.rank < 1) bad("rank must be an integer >= 1", p.rank);
  if (!Number.isInteger(p.maxIter) || p.maxIter < 0) bad("maxIter must be an integer >= 0", p.maxIter);
  if (!(p.regParam >= 0)) bad("regParam must be >= 0", p.regParam);
  if (!(p.alpha >= 0)) bad("alpha must be >= 0", p.alpha);
  if (!Number.isFinite(p.seed)) bad("seed must be a finite integer", p.seed);
  if (!(o.workers >= 1)) bad("workers must be >= 1", o.workers);
}

function singularError(side: AlsSide, id: number, p: AlsTrainParams): InputError {
  return new InputError(
    "E_NUMERIC",
    `ALS cannot solve the ${side} factors: the normal equations of ${side} ${id} are singular or not positive definite ` +
      `(regParam=${p.regParam}, rank=${p.rank}; with regParam 0 this happens when a ${side} has fewer ratings than rank ` +
      `or linearly dependent ones). Raise regParam (e.g. 0.01 or more) or lower rank.`,
  );
}

function longestRow(rowOf: Int32Array, rows: number): number {
  const counts = new Int32Array(rows);
  let max = 0;
  for (let i = 0; i < rowOf.length; i++) max = Math.max(max, ++counts[rowOf[i]]);
  return max;
}

function copyPadded(src: Float32Array, dst: FactorArray, rank: number, kp: number): void {
  const rows = src.length / rank;
  dst.fill(0);
  for (let r = 0; r < rows; r++) for (let i = 0; i < rank; i++) dst[r * kp + i] = src[r * rank + i];
}

function unpad(src: FactorArray, rows: number, rank: number, kp: number): Float32Array {
  const out = new Float32Array(rows * rank);
  for (let r = 0; r < rows; r++) for (let i = 0; i < rank; i++) out[r * rank + i] = src[r * kp + i];
  return out;
}
