import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { z } from "zod";
import { defineStage } from "../src/core/define-stage.js";
import { rowHashSides } from "../src/core/row-hash.js";
import { XORShiftRandom } from "../src/kernels/spark-random.js";
import { sparkRowOrder } from "../src/core/row-order.js";
import type { RunContext } from "../src/core/run-context.js";
import { seedParam } from "../src/core/params.js";
import type { Splitter } from "../src/core/stage.js";
import { partitionRows } from "../src/core/table.js";
import { partitionRowsInPlace } from "../src/core/partition-in-place.js";

const TYPE = "random-split";

/** The split weights every splitter takes: [train, test], normalised by their sum. */
export const splitWeightsParam = () =>
  z
    .array(z.number().nonnegative())
    .length(2)
    .default([0.8, 0.2])
    .refine((w) => w[0] + w[1] > 0, { message: "must have a positive sum" })
    .describe(
      "[train, test] weights, normalised by their sum (Spark's randomSplit weights; recpipe takes exactly two: the first split is train, the second test)",
    );

/** Fraction of rows (or of each user's rows) that goes to test. */
export function testFraction(weights: readonly number[]): number {
  return weights[1] / (weights[0] + weights[1]);
}

/**
 * One uniform draw in [0, 1) per row, in order. The only place the split's random stream comes from, so Spark's
 * XORShiftRandom (seed + partition 0) can replace SeededRandom here without touching anything else.
 */
export function drawUniforms(n: number, seed: number): Float64Array {
  // Spark's sampler on partition 0: BernoulliCellSampler.setSeed(seed + partitionIndex).
  const rng = new XORShiftRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextDouble();
  return out;
}

/**
 * Spark's randomSplit assignment on one partition: walking rows in `order`, row order[j] draws uniforms[j] and
 * joins the split i with cum[i] <= x < cum[i+1]. Returns 0 (train), 1 (test) or 255 when float rounding leaves
 * cum.last < 1 and x falls above it (Spark drops such a row from every split).
 */
export function randomSplitAssignment(order: Int32Array, uniforms: Float64Array, weights: readonly number[]): Uint8Array {
  const sum = weights.reduce((a, b) => a + b, 0);
  const cum = [0];
  for (const w of weights) cum.push(cum[cum.length - 1] + w / sum);
  const side = new Uint8Array(order.length);
  for (let j = 0; j < order.length; j++) {
    const x = uniforms[j];
    let s = 255;
    for (let i = 0; i < weights.length; i++) {
      if (cum[i] <= x && x < cum[i + 1]) {
        s = i;
        break;
      }
    }
    side[order[j]] = s;
  }
  return side;
}

/**
 * The whole split as a pure function of (table, weights, seed). `spark`: sort rows as Spark does, then draw from
 * Spark's XORShiftRandom (equal to Spark's randomSplit on a one-partition DataFrame). `hash`: each row's draw is a hash
 * of its values and the seed: no sort, so it takes a second for 25M rows rather than most of a minute.
 */
export function randomSplitTable(
  table: Table,
  weights: readonly number[],
  seed: number,
  method: "hash" | "spark" = "hash",
  reuseInput = false,
): { train: Table; test: Table } {
  if (method === "spark") return splitBySide(table, randomSplitAssignment(sparkRowOrder(table), drawUniforms(table.numRows, seed), weights), reuseInput);
  // One pass over the rows for the sides, one over each column for both outputs.
  return splitBySide(table, rowHashSides(table, seed, weights), reuseInput);
}

/**
 * train = rows with side 0, test = rows with side 1, each in the original row order. `reuseInput`: the rows may be
 * moved inside the table's own buffers (partition-in-place.ts) rather than copied; the same two tables either way.
 */
export function splitBySide(table: Table, side: Uint8Array, reuseInput = false): { train: Table; test: Table } {
  let all = true;
  for (let i = 0; i < side.length && all; i++) all = side[i] === 0;
  // Everything in train (weights [1, 0]): the input table itself, no copy.
  if (all) return { train: table, test: table.slice(0, 0) };
  const [train, test] = (reuseInput ? partitionRowsInPlace(table, side) : undefined) ?? partitionRows(table, side);
  return { train, test };
}

export const randomSplit = defineStage({
  type: TYPE,
  role: "split",
  doc:
    "Spark's Dataset.randomSplit semantics: each row draws one uniform number that decides its split, so sizes are " +
    "approximately (not exactly) proportional to the weights, and the result is deterministic for the same rows and " +
    "seed, whatever their order in the file. method hash (default) draws from a hash of the row's values; method " +
    "spark sorts the rows by every column and draws from Spark's XORShiftRandom, reproducing Spark's split of a " +
    "one-partition DataFrame exactly (slow on tens of millions of rows).",
  sparkClass: "recpipe.split.RandomSplit",
  uidPrefix: "randomSplit",
  params: z.object({
    weights: splitWeightsParam(),
    seed: seedParam(),
    method: z
      .enum(["hash", "spark"])
      .default("hash")
      .describe(
        "hash: draws from a hash of each row's values (fast, no sort); spark: Spark's sort-then-XORShiftRandom stream, exact for a one-partition DataFrame",
      ),
  }),
  create(p, info): Splitter {
    return {
      role: "split",
      type: TYPE,
      ...info,
      params: p,
      split: (table: Table, ctx: RunContext, opts) => randomSplitTable(table, p.weights, p.seed ?? ctx.seed, p.method, opts?.reuseInput),
    };
  },
  example: () => ({
    params: { weights: [0.7, 0.3], seed: 7 },
    train: new Table({
      user: makeVector(new Int32Array([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])),
      item: vectorFromArray(["a", "b", "a", "c", "b", "c", "a", "d", "d", "b"], new Utf8()),
      rating: makeVector(new Float32Array([5, 3, 4, 2, 1, 5, 4, 3, 2, 4])),
    }),
  }),
});
