/**
 * The training objective ALS minimises, evaluated on the current factors. Used for `lossHistory` when computeLoss
 * is set (the pipeline's ALS stage always sets it: the report plots it).
 *   explicit: sum over ratings (r - x_u.y_i)^2 + regParam * (sum_u n_u |x_u|^2 + sum_i n_i |y_i|^2)
 *   implicit: sum over all (u, i) of c_ui (p_ui - x_u.y_i)^2 + regParam * (sum_u n+_u |x_u|^2 + sum_i n+_i |y_i|^2),
 *             with c = 1 + alpha|r|, p = [r > 0] on observed pairs and c = 1, p = 0 elsewhere; the unobserved part
 *             is computed as sum_u x_u^T (Y^T Y) x_u minus the observed pairs' share.
 * With `userStride` > 1 only every userStride-th user's data terms are summed and scaled by the stride: an
 * estimate that keeps the per-sweep cost bounded on tens of millions of ratings (the report only plots it).
 *
 * It is cut into fixed tasks of OBJECTIVE_CHUNK_ROWS rows (the users' chunks, then the items'), which any thread
 * may run; each writes its own f64 partial sums, and `combineObjective` adds them in task order. The task
 * boundaries never depend on the thread count, so neither does the value.
 */
import type { FactorArray } from "./als-half-step.js";
import type { AlsSideViews } from "./als-layout.js";

/** Rows per objective task: small enough to balance two or three threads, large enough to make the claims rare. */
export const OBJECTIVE_CHUNK_ROWS = 4096;

/** Everything a task reads besides the shared ALS state. */
export interface AlsObjectiveInput {
  users: AlsSideViews;
  items: AlsSideViews;
  k: number;
  /** Row stride; the lanes from k to kp are 0 in both factor matrices and in itemGram (as the ALS state keeps them). */
  kp: number;
  alpha: number;
  implicit: boolean;
  /** Implicit: YtY of the current item factors; null for explicit. */
  itemGram: FactorArray | null;
  counts: { user: Int32Array; item: Int32Array };
  userStride: number;
}

/** Partial sums a task writes: [data term, weighted norms]. */
export const OBJECTIVE_PARTIALS = 2;

export function objectiveTaskCount(users: number, items: number): number {
  return Math.ceil(users / OBJECTIVE_CHUNK_ROWS) + Math.ceil(items / OBJECTIVE_CHUNK_ROWS);
}

/** Runs task `t`: writes partials[2t] (data term, users' tasks only) and partials[2t + 1] (weighted norms). */
export function runObjectiveTask(a: AlsObjectiveInput, t: number, partials: Float64Array): void {
  // rows from the counts: the items' CSR may live in another memory (one memory per side), their factors never do
  const userTasks = Math.ceil(a.counts.user.length / OBJECTIVE_CHUNK_ROWS);
  const isUser = t < userTasks;
  const counts = isUser ? a.counts.user : a.counts.item;
  const start = (isUser ? t : t - userTasks) * OBJECTIVE_CHUNK_ROWS;
  const end = Math.min(counts.length, start + OBJECTIVE_CHUNK_ROWS);
  partials[OBJECTIVE_PARTIALS * t] = isUser ? dataTerm(a, start, end) : 0;
  partials[OBJECTIVE_PARTIALS * t + 1] = weightedNorms((isUser ? a.users : a.items).factors, counts, start, end, a.kp);
}

/** The objective from every task's partials, summed in task order. */
export function combineObjective(partials: Float64Array, tasks: number, userStride: number, regParam: number): number {
  let data = 0;
  let norms = 0;
  for (let t = 0; t < tasks; t++) {
    data += partials[OBJECTIVE_PARTIALS * t];
    norms += partials[OBJECTIVE_PARTIALS * t + 1];
  }
  return data * userStride + regParam * norms;
}

/** Users [start, end)'s share of the data term: the sampled ones (u % userStride == 0) only. */
function dataTerm(a: AlsObjectiveInput, start: number, end: number): number {
  const { users, k, kp, alpha, implicit, itemGram, userStride } = a;
  const X = users.factors;
  const Y = a.items.factors;
  let loss = 0;
  for (let u = Math.ceil(start / userStride) * userStride; u < end; u += userStride) {
    const xo = u * kp;
    if (implicit && itemGram) for (let i = 0; i < k; i++) loss += X[xo + i] * dot(itemGram, i * kp, X, xo, kp);
    for (let s = users.indptr[u]; s < users.indptr[u + 1]; s++) {
      const pred = dot(X, xo, Y, users.indices[s] * kp, kp);
      const r = users.values[s];
      if (implicit) {
        const c = 1 + alpha * Math.abs(r);
        const pref = r > 0 ? 1 : 0;
        loss += c * (pref - pred) ** 2 - pred * pred;
      } else {
        loss += (r - pred) ** 2;
      }
    }
  }
  return loss;
}

/**
 * Each row's weight in the regularisation term: its ratings (n_u), or when implicit its positive ones (n+_u). In a
 * SharedArrayBuffer, so the workers that run the objective's tasks read it in place.
 */
export function regularisationCounts(side: AlsSideViews, implicit: boolean): Int32Array {
  const rows = side.indptr.length - 1;
  const out = new Int32Array(new SharedArrayBuffer(rows * 4));
  for (let r = 0; r < rows; r++) {
    let n = side.indptr[r + 1] - side.indptr[r];
    if (implicit) {
      n = 0;
      for (let s = side.indptr[r]; s < side.indptr[r + 1]; s++) if (side.values[s] > 0) n++;
    }
    out[r] = n;
  }
  return out;
}

function weightedNorms(factors: FactorArray, counts: Int32Array, start: number, end: number, kp: number): number {
  let sum = 0;
  for (let r = start; r < end; r++) sum += counts[r] * dot(factors, r * kp, factors, r * kp, kp);
  return sum;
}

/**
 * sum_i a[ao + i] b[bo + i] over all kp lanes: the lanes past rank are 0 in factors and YtY alike, so this is the
 * rank-k dot product. Four running sums rather than one let the multiply-adds overlap.
 */
function dot(a: FactorArray, ao: number, b: FactorArray, bo: number, kp: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < kp; i += 4) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
    s2 += a[ao + i + 2] * b[bo + i + 2];
    s3 += a[ao + i + 3] * b[bo + i + 3];
  }
  return s0 + s1 + (s2 + s3);
}
