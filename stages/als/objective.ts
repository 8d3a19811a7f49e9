/**
 * The training objective ALS minimises, evaluated on the current factors (f64 sums, in row order, so the value
 * is deterministic). Used for `lossHistory` when computeLoss is set.
 *   explicit: sum over ratings (r - x_u.y_i)^2 + regParam * (sum_u n_u |x_u|^2 + sum_i n_i |y_i|^2)
 *   implicit: sum over all (u, i) of c_ui (p_ui - x_u.y_i)^2 + regParam * (sum_u n+_u |x_u|^2 + sum_i n+_i |y_i|^2),
 *             with c = 1 + alpha|r|, p = [r > 0] on observed pairs and c = 1, p = 0 elsewhere; the unobserved part
 *             is computed as sum_u x_u^T (Y^T Y) x_u minus the observed pairs' share.
 * With `userStride` > 1 only every userStride-th user's terms are summed and the result is scaled by the stride: an
 * estimate that keeps the per-sweep cost bounded on tens of millions of ratings (the report only plots it).
 */
import type { FactorArray } from "../../src/kernels/als-half-step.js";
import type { AlsSideViews } from "../../src/kernels/als-layout.js";

export function alsObjective(
  users: AlsSideViews,
  items: AlsSideViews,
  k: number,
  kp: number,
  regParam: number,
  alpha: number,
  implicit: boolean,
  itemGram: FactorArray | null,
  counts: { user: Int32Array; item: Int32Array },
  userStride = 1,
): number {
  const X = users.factors;
  const Y = items.factors;
  let loss = 0;
  const rows = users.indptr.length - 1;
  for (let u = 0; u < rows; u += userStride) {
    const xo = u * kp;
    if (implicit && itemGram) {
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += itemGram[i * kp + j] * X[xo + j];
        loss += X[xo + i] * s;
      }
    }
    for (let s = users.indptr[u]; s < users.indptr[u + 1]; s++) {
      const yo = users.indices[s] * kp;
      let pred = 0;
      for (let i = 0; i < k; i++) pred += X[xo + i] * Y[yo + i];
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
  return loss * userStride + regParam * (weightedNorms(users, counts.user, k, kp) + weightedNorms(items, counts.item, k, kp));
}

/** Each row's weight in the regularisation term: its ratings (n_u), or when implicit its positive ones (n+_u). */
export function regularisationCounts(side: AlsSideViews, implicit: boolean): Int32Array {
  const rows = side.indptr.length - 1;
  const out = new Int32Array(rows);
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

function weightedNorms(side: AlsSideViews, counts: Int32Array, k: number, kp: number): number {
  let sum = 0;
  for (let r = 0; r < counts.length; r++) {
    let sq = 0;
    for (let i = 0; i < k; i++) sq += side.factors[r * kp + i] ** 2;
    sum += counts[r] * sq;
  }
  return sum;
}
