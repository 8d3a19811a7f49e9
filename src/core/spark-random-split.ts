/**
 * Spark's Dataset.randomSplit assignment (see sparkRandomSplitAssign), on the XORShiftRandom of kernels/spark-random.ts.
 */
import { InputError } from "./errors.js";
import { XORShiftRandom, toLong } from "../kernels/spark-random.js";

/**
 * Dataset.randomSplit on one partition whose rows are already in Spark's local sort order (randomSplit sorts each
 * partition by every column before sampling, so the split does not depend on the input order):
 * normalised cumulative weights, one XORShiftRandom(seed + 0) stream, one nextDouble per row, and the row goes to
 * the split i with cum[i] <= x < cum[i+1] (BernoulliCellSampler). A row beyond a cumulative sum that rounds to
 * below 1.0 lands in no split: -1.
 */
export function sparkRandomSplitAssign(n: number, weights: number[], seed: number | bigint): Int32Array {
  if (weights.length === 0 || weights.some((w) => !(w >= 0))) {
    throw new InputError("E_SPEC", `randomSplit weights must be non-negative numbers; got [${weights.join(", ")}]`);
  }
  let sum = 0;
  for (const w of weights) sum += w;
  if (!(sum > 0)) throw new InputError("E_SPEC", `randomSplit weights must sum to more than 0; got [${weights.join(", ")}]`);
  const cum = new Float64Array(weights.length + 1);
  for (let i = 0; i < weights.length; i++) cum[i + 1] = cum[i] + weights[i] / sum;

  const out = new Int32Array(n);
  const rng = new XORShiftRandom(toLong(seed) + 0n); // partition index 0
  const splits = weights.length;
  for (let row = 0; row < n; row++) {
    const x = rng.nextDouble();
    let assigned = -1;
    for (let i = 0; i < splits; i++) {
      // A zero-width split never keeps a row (BernoulliCellSampler returns 0 without drawing for ub - lb <= 0).
      if (x >= cum[i] && x < cum[i + 1]) {
        assigned = i;
        break;
      }
    }
    out[row] = assigned;
  }
  return out;
}
