import { makeVector, Table } from "apache-arrow";
import { z } from "zod";
import { defineStage } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import type { Splitter } from "../src/core/stage.js";
import { groupCodes } from "../src/core/string-codes.js";
import { float64Column, requireField, requireNumeric } from "../src/core/table.js";
import { argsortFloat64, stableSortByKey } from "../src/kernels/stable-order.js";
import { splitBySide, splitWeightsParam, testFraction } from "./random-split.js";

const TYPE = "temporal-split";

/**
 * Global temporal split: with nTrain = round(n * (1 - fraction)), the cut is the time of the (nTrain+1)-th
 * earliest row; rows at or after the cut are test (side 1). Every train row is strictly earlier than every
 * test row, so ties at the cut all go to test and the test share can exceed `fraction`.
 */
export function temporalSplitSides(times: Float64Array, fraction: number): Uint8Array {
  const n = times.length;
  const side = new Uint8Array(n);
  const nTrain = Math.round(n * (1 - fraction));
  if (nTrain >= n) return side;
  const sorted = Float64Array.from(times).sort();
  const cut = sorted[nTrain];
  for (let i = 0; i < n; i++) side[i] = times[i] >= cut ? 1 : 0;
  return side;
}

/**
 * Per-user temporal split: each group's rows ordered by (time, row index); the latest round(n * fraction) of them
 * go to test (side 1).
 */
export function temporalSplitSidesPerGroup(times: Float64Array, groups: Int32Array, numGroups: number, fraction: number): Uint8Array {
  const byTime = argsortFloat64(times);
  const order = stableSortByKey(byTime, groups, numGroups, new Int32Array(times.length)); // by group, then time, then row
  const side = new Uint8Array(times.length);
  let start = 0;
  while (start < order.length) {
    const g = groups[order[start]];
    let end = start;
    while (end < order.length && groups[order[end]] === g) end++;
    const nTest = Math.round((end - start) * fraction);
    for (let j = end - nTest; j < end; j++) side[order[j]] = 1;
    start = end;
  }
  return side;
}

/** The time column as doubles; a null or NaN time is a data error (it has no place on the timeline). */
export function readTimes(table: Table, timeCol: string, where: string): Float64Array {
  requireNumeric(table.schema, timeCol, where);
  const times = float64Column(table, timeCol, where);
  for (let i = 0; i < times.length; i++)
    if (Number.isNaN(times[i]))
      throw new InputError("E_DATA", `${where}: column "${timeCol}" row ${i} is null or NaN; a temporal split needs a time on every row`);
  return times;
}

export const temporalSplit = defineStage({
  type: TYPE,
  role: "split",
  doc:
    "Temporal split: the latest rows go to test. Globally (default), every row at or after the time cut at the " +
    "train quantile is test, so the model is evaluated on the future; with perUser, the latest share of each " +
    "user's rows (by timeCol, ties by row order) goes to test.",
  sparkClass: "recpipe.split.TemporalSplit",
  uidPrefix: "temporalSplit",
  params: z.object({
    timeCol: z.string().min(1).default("timestamp").describe("numeric time column (e.g. epoch seconds)"),
    weights: splitWeightsParam(),
    perUser: z.boolean().default(false).describe("split each user's rows by time instead of cutting the whole table at one time"),
    userCol: z.string().min(1).default("user").describe("user column (only with perUser)"),
  }),
  create(p, info): Splitter {
    return {
      role: "split",
      type: TYPE,
      ...info,
      params: p,
      split(table: Table) {
        const times = readTimes(table, p.timeCol, `${info.name}.timeCol`);
        const f = testFraction(p.weights);
        if (!p.perUser) return splitBySide(table, temporalSplitSides(times, f));
        requireField(table.schema, p.userCol, `${info.name}.userCol`);
        const { codes, numGroups } = groupCodes(table.getChild(p.userCol)!, p.userCol, info.name);
        return splitBySide(table, temporalSplitSidesPerGroup(times, codes, numGroups, f));
      },
    };
  },
  example: () => ({
    params: { timeCol: "timestamp", weights: [0.5, 0.5], perUser: true },
    train: new Table({
      user: makeVector(new Int32Array([1, 1, 1, 1, 2, 2])),
      item: makeVector(new Int32Array([1, 2, 3, 4, 1, 2])),
      timestamp: makeVector(new Float64Array([40, 10, 30, 20, 5, 6])),
    }),
  }),
});
