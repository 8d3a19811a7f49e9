import { makeVector, Table } from "apache-arrow";
import { z } from "zod";
import { defineStage } from "../src/core/define-stage.js";
import { seedParam } from "../src/core/params.js";
import { SeededRandom } from "../src/core/rng.js";
import type { RunContext } from "../src/core/run-context.js";
import type { Splitter } from "../src/core/stage.js";
import { groupCodes } from "../src/core/string-codes.js";
import { requireField } from "../src/core/table.js";
import { stableSortByKey } from "../src/kernels/stable-order.js";
import { splitBySide, splitWeightsParam, testFraction } from "./random-split.js";

const TYPE = "stratified-split";

/** Row indices grouped by `groups` (CSR: rows of group g are rows[indptr[g]..indptr[g+1]), in row order). */
export function rowsByGroup(groups: Int32Array, numGroups: number): { indptr: Int32Array; rows: Int32Array } {
  const identity = new Int32Array(groups.length);
  for (let i = 0; i < identity.length; i++) identity[i] = i;
  const rows = stableSortByKey(identity, groups, numGroups, new Int32Array(groups.length));
  const indptr = new Int32Array(numGroups + 1);
  for (let i = 0; i < groups.length; i++) indptr[groups[i] + 1]++;
  for (let g = 0; g < numGroups; g++) indptr[g + 1] += indptr[g];
  return { indptr, rows };
}

/**
 * Per-group split: each group (user) with n rows sends round(n * fraction) of them, chosen uniformly at random,
 * to test (side 1); the rest stay in train (side 0). Groups are visited in order with one seeded stream, so the
 * result depends only on (groups, fraction, seed).
 */
export function stratifiedSplitSides(groups: Int32Array, numGroups: number, fraction: number, seed: number): Uint8Array {
  const { indptr, rows } = rowsByGroup(groups, numGroups);
  const rng = new SeededRandom(seed);
  const side = new Uint8Array(groups.length);
  for (let g = 0; g < numGroups; g++) {
    const start = indptr[g];
    const size = indptr[g + 1] - start;
    const nTest = Math.round(size * fraction);
    // Partial Fisher-Yates: the first nTest slots after shuffling are a uniform sample without replacement.
    for (let j = 0; j < nTest; j++) {
      const k = j + rng.nextInt(size - j);
      const t = rows[start + j];
      rows[start + j] = rows[start + k];
      rows[start + k] = t;
      side[rows[start + j]] = 1;
    }
  }
  return side;
}

export const stratifiedSplit = defineStage({
  type: TYPE,
  role: "split",
  doc:
    "Per-user random split: every user's rows are split by the weights (round(n * test weight) of each user's n " +
    "rows go to test, chosen at random), so every user with enough rows appears in both train and test. Users with " +
    "a single row stay in train unless the test weight is at least 0.5.",
  sparkClass: "recpipe.split.StratifiedSplit",
  uidPrefix: "stratifiedSplit",
  params: z.object({
    userCol: z.string().min(1).default("user").describe("column whose values define the groups (users)"),
    weights: splitWeightsParam(),
    seed: seedParam(),
  }),
  create(p, info): Splitter {
    return {
      role: "split",
      type: TYPE,
      ...info,
      params: p,
      split(table: Table, ctx: RunContext) {
        requireField(table.schema, p.userCol, `${info.name}.userCol`);
        const { codes, numGroups } = groupCodes(table.getChild(p.userCol)!, p.userCol, info.name);
        return splitBySide(table, stratifiedSplitSides(codes, numGroups, testFraction(p.weights), p.seed ?? ctx.seed));
      },
    };
  },
  example: () => ({
    params: { userCol: "user", weights: [0.75, 0.25], seed: 3 },
    train: new Table({
      user: makeVector(new Int32Array([1, 1, 1, 1, 2, 2, 2, 2, 3])),
      item: makeVector(new Int32Array([1, 2, 3, 4, 1, 2, 3, 4, 1])),
    }),
  }),
});
