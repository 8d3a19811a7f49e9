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
 * No per-rating JS objects. wasm32 caps one memory at 4 GiB (about 250M ratings at rank 10); past that the state is
 * split into one memory per side (8 bytes a rating each, both holding both factor matrices), about 500M ratings.
 */
import { InputError } from "../../src/core/errors.js";
import {
  DEFAULT_CG_STEPS,
  SOLVER_CG,
  SOLVER_CHOLESKY,
  SOLVER_NNLS,
  gramBandsJs,
  solveRowsJs,
  type FactorArray,
  type GramBands,
  type SolverCode,
  type SolveRows,
} from "../../src/kernels/als-half-step.js";
import { planAlsSpaces, sideViews, type AlsSide } from "../../src/kernels/als-layout.js";
import { ALS_WASM_MAX_LAYOUT_BYTES, alsWasmAvailable, createAlsMemory, instantiateAlsKernels, readAlsWasmBytes } from "../../src/kernels/als-wasm.js";
import { DEFAULT_ALS_KERNEL, relaxedSimdAvailable, type AlsKernelName } from "../../src/kernels/als-kernel-choice.js";
import { AlsPool } from "../../src/workers/als-pool.js";
import { otherSide, type AlsHalfStepJob } from "../../src/workers/als-chunks.js";
import { denseIndex } from "../../src/kernels/dense-ids.js";
import { fillCsr } from "../../src/kernels/ratings-csr.js";
import { applyPositions, popularityPositions } from "./popularity-order.js";
import { sparkAlsInitialFactors, sparkAlsInitSeeds } from "../../src/kernels/spark-random.js";
import { regularisationCounts } from "../../src/kernels/als-objective.js";

export interface AlsRatings {
  /** Raw int32 ids (or integral doubles in int32 range), any order, duplicates allowed (each duplicate adds its own term, as in Spark). */
  user: Int32Array | Float64Array;
  item: Int32Array | Float64Array;
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
  /**
   * wasm engine: which build of the kernels (als-kernel-choice.ts); default the portable "simd128". "simd128-fma" is
   * refused (exit 2) where this Node cannot run relaxed SIMD.
   */
  kernel?: AlsKernelName;
  onIteration?: (iter: number, maxIter: number) => void;
  computeLoss?: boolean;
  /**
   * wasm engine: above this many bytes the state is split into one memory per side (default: what one wasm32 memory
   * holds, 4 GiB). Tests set it low to run the split path on small data.
   */
  maxMemoryBytes?: number;
}

export interface AlsFactors {
  rank: number;
  /** Ascending. */
  userIds: Int32Array;
  /** userIds.length * rank, row-major, unpadded. */
  userFactors: Float32Array;
  itemIds: Int32Array;
  itemFactors: Float32Array;
  /** Training objective (src/kernels/als-objective.ts) after each sweep when computeLoss, else []. */
  lossHistory: number[];
}

/** A copy in a SharedArrayBuffer, which a worker thread reads in place. */
function sharedCopy(x: Float32Array): Float32Array {
  const out = new Float32Array(new SharedArrayBuffer(x.byteLength));
  out.set(x);
  return out;
}

/**
 * Multiply-adds up to which the per-sweep training objective is computed exactly (see src/kernels/als-objective.ts): ratings x rank,
 * plus users x rank^2 for implicit's Gram term. Beyond, every n-th user is summed: the objective runs in plain
 * JavaScript (on the workers), and at rank 64 an exact pass would cost more than the sweep it reports on.
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

  // ids -> dense indices; the per-rating index arrays are transient (8 bytes a rating), shared with the pool's first
  // worker when there is one, which fills the item side's CSR from them (below).
  const shared = workers > 1;
  const int32s = (n: number) => (shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n));
  const userOf = int32s(nnz);
  const itemOf = int32s(nnz);
  const userIds = denseIndex(r.user, userOf);
  const itemIds = denseIndex(r.item, itemOf);
  // internal rows by descending popularity (popularity-order.ts); position[dense index] = internal row
  const userPosition = popularityPositions(userOf, userIds.length);
  const itemPosition = popularityPositions(itemOf, itemIds.length);
  applyPositions(userOf, userPosition);
  applyPositions(itemOf, itemPosition);

  const solver: SolverCode = p.nonnegative ? SOLVER_NNLS : p.solver === "cg" ? SOLVER_CG : SOLVER_CHOLESKY;
  const cgMaxRowLength = solver === SOLVER_CG ? Math.max(longestRow(userOf, userIds.length), longestRow(itemOf, itemIds.length)) : 0;
  // One memory for the whole state, or one per side past wasm32's 4 GiB (planAlsSpaces): bit-identical either way.
  const maxBytes = engine === "wasm" ? (o.maxMemoryBytes ?? ALS_WASM_MAX_LAYOUT_BYTES) : Infinity;
  const spaces = planAlsSpaces(userIds.length, itemIds.length, nnz, rank, precision, workers + 1, cgMaxRowLength, maxBytes);
  const layouts = spaces.layouts;
  const memories = layouts.map((l) => (engine === "wasm" ? createAlsMemory(l.totalBytes) : null));
  const buffers = layouts.map((l, i) => (memories[i]?.buffer as SharedArrayBuffer | undefined) ?? new SharedArrayBuffer(l.totalBytes));
  const kernel = o.kernel ?? DEFAULT_ALS_KERNEL;
  const fused = engine === "wasm" && kernel === "simd128-fma";
  if (fused && !relaxedSimdAvailable()) {
    throw new InputError(
      "E_UNSUPPORTED",
      `ALS kernel simd128-fma needs WebAssembly relaxed SIMD, which this Node (${process.version}) does not validate; use the portable kernel (simd128)`,
    );
  }
  const wasmBytes = engine === "wasm" ? readAlsWasmBytes(kernel) : null;
  const kernels: Array<{ solveRows: SolveRows; gramBands: GramBands }> = memories.map((m) =>
    m && wasmBytes ? instantiateAlsKernels(wasmBytes, m) : { solveRows: solveRowsJs, gramBands: gramBandsJs },
  );
  // Workers boot (module load, wasm compile) while this thread fills the CSR and the initial factors; they read
  // nothing until the first half-step job arrives.
  const poolStarting = AlsPool.start({
    workers,
    engine,
    wasmBytes,
    relaxedSimd: fused,
    spaces: layouts.map((layout, i) => ({ layout, memory: memories[i], buffer: engine === "js" ? buffers[i] : null })),
    sideSpace: { user: spaces.user, item: spaces.item },
    localKernels: kernels,
  });
  // views[space][side]: every space holds both sides' factors; each side's CSR lives in the space that solves it.
  const views = layouts.map((l, i) => ({ user: sideViews(buffers[i], l, "user"), item: sideViews(buffers[i], l, "item") }));
  const users = views[spaces.user].user;
  const items = views[spaces.item].item;
  const kp = layouts[0].kp;
  let itemsFilled: Promise<void> | undefined;
  let userInit: Promise<Float32Array> | undefined;
  try {
    // The two counting sorts at once: the item side on a worker (its ratings copied to shared memory, 4 bytes a
    // rating for the moment), the user side here. The same CSRs as one after the other.
    const pool = await poolStarting;
    // Spark's own initial factors (ALS.initialize): the same seed and block counts give the same starting point as
    // Spark, and they depend on (seed, id, numBlocks) only, never on the worker count. The users' (in recommender data
    // usually the larger side) are drawn on a second worker while the item CSR fills on the first and the user CSR here.
    const initSeeds = sparkAlsInitSeeds(p.seed);
    userInit = pool.initialFactors({ ids: userIds, rank, seed: initSeeds.user, numBlocks: p.numUserBlocks ?? 10 });
    const rating = shared ? sharedCopy(r.rating) : r.rating;
    itemsFilled = pool.fillCsr({ side: "item", rowOf: itemOf, colOf: userOf, rating, rows: itemIds.length });
    fillCsr(userOf, itemOf, r.rating, userIds.length, users.indptr, users.indices, users.values);
    const itemInit = sparkAlsInitialFactors(itemIds, rank, initSeeds.item, p.numItemBlocks ?? 10);
    for (const v of views) copyPadded(itemInit, v.item.factors, rank, kp, itemPosition);
    const userFactors = await userInit;
    for (const v of views) copyPadded(userFactors, v.user.factors, rank, kp, userPosition);
    await itemsFilled;
  } catch (e) {
    // Never leave booting workers behind when the setup fails.
    itemsFilled?.catch(() => undefined);
    userInit?.catch(() => undefined);
    void poolStarting.then((pool) => pool.close());
    throw e;
  }

  const pool = await poolStarting;
  const lossHistory: number[] = [];
  // The objective's regularisation weights per row (ratings, or positive ones when implicit): fixed for the fit, so
  // counted once rather than by a pass over every rating each sweep.
  const lossCounts = o.computeLoss ? { user: regularisationCounts(users, p.implicitPrefs), item: regularisationCounts(items, p.implicitPrefs) } : null;
  try {
    for (let iter = 0; iter < p.maxIter; iter++) {
      for (const side of ["item", "user"] as AlsSide[]) {
        const space = spaces[side];
        // YtY on the workers (als-gram.ts): the same bits as one thread's sum, for any worker count
        if (p.implicitPrefs) await pool.gram(space, otherSide(side));
        const job: AlsHalfStepJob = {
          side,
          regParam: p.regParam,
          alpha: p.alpha,
          implicit: p.implicitPrefs,
          solver,
          cgSteps: DEFAULT_CG_STEPS,
        };
        const failed = await pool.halfStep(job);
        if (failed >= 0) {
          const ids = side === "user" ? userIds : itemIds;
          throw singularError(side, ids[(side === "user" ? userPosition : itemPosition).indexOf(failed)], p);
        }
        // the other memory's copy of the solved factors, exact (one memory per side only)
        for (let v = 0; v < views.length; v++) if (v !== space) views[v][side].factors.set(views[space][side].factors);
      }
      if (lossCounts) {
        // Exact up to LOSS_EXACT_WORK; beyond, a fixed every-n-th-user sample keeps its cost to a few ms a sweep.
        const work = nnz * rank + (p.implicitPrefs ? userIds.length * rank * rank : 0);
        const stride = Math.max(1, Math.ceil(work / LOSS_EXACT_WORK));
        // On the workers too. Implicit reads the items' YtY the user half-step solved with, still in the users' memory
        // (the half-step only reads it, and the item factors have not moved since), so it is not computed again.
        lossHistory.push(await pool.objective({ alpha: p.alpha, implicit: p.implicitPrefs, userStride: stride, counts: lossCounts }, p.regParam));
      }
      o.onIteration?.(iter + 1, p.maxIter);
    }
  } finally {
    await pool.close();
  }
  return {
    rank,
    userIds,
    userFactors: unpad(users.factors, userPosition, rank, kp),
    itemIds,
    itemFactors: unpad(items.factors, itemPosition, rank, kp),
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

/** Row r of src (ascending id order, stride rank) -> internal row position[r] of dst (stride kp, padding 0). */
function copyPadded(src: Float32Array, dst: FactorArray, rank: number, kp: number, position: Int32Array): void {
  dst.fill(0);
  for (let r = 0; r < position.length; r++) {
    const o = position[r] * kp;
    for (let i = 0; i < rank; i++) dst[o + i] = src[r * rank + i];
  }
}

/** Internal rows back to ascending id order, unpadded. */
function unpad(src: FactorArray, position: Int32Array, rank: number, kp: number): Float32Array {
  const out = new Float32Array(position.length * rank);
  for (let r = 0; r < position.length; r++) {
    const o = position[r] * kp;
    for (let i = 0; i < rank; i++) out[r * rank + i] = src[o + i];
  }
  return out;
}
