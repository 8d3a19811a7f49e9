import { makeVector, Table } from "apache-arrow";
import { z } from "zod";
import { defineStage } from "../src/core/define-stage.js";
import type { Splitter } from "../src/core/stage.js";
import { groupCodes } from "../src/core/string-codes.js";
import { requireField } from "../src/core/table.js";
import { splitBySide } from "./random-split.js";
import { readTimes } from "./temporal-split.js";

const TYPE = "leave-last-out";

/**
 * Per group, the latest row (largest time; among equal times the one last in row order) is test (side 1);
 * groups with a single row keep it in train.
 */
export function leaveLastOutSides(times: Float64Array, groups: Int32Array, numGroups: number): Uint8Array {
  const last = new Int32Array(numGroups).fill(-1);
  const count = new Int32Array(numGroups);
  for (let r = 0; r < times.length; r++) {
    const g = groups[r];
    count[g]++;
    if (last[g] < 0 || times[r] >= times[last[g]]) last[g] = r;
  }
  const side = new Uint8Array(times.length);
  for (let g = 0; g < numGroups; g++) if (count[g] >= 2) side[last[g]] = 1;
  return side;
}

export const leaveLastOut = defineStage({
  type: TYPE,
  role: "split",
  doc:
    "Leave-last-out: each user's latest row (by timeCol; ties go to the row that comes last) is the test set, the " +
    "usual setup for next-item ranking metrics. Users with a single row stay in train.",
  sparkClass: "recpipe.split.LeaveLastOut",
  uidPrefix: "leaveLastOut",
  params: z.object({
    userCol: z.string().min(1).default("user").describe("user column"),
    timeCol: z.string().min(1).default("timestamp").describe("numeric time column; the largest value is the latest"),
  }),
  create(p, info): Splitter {
    return {
      role: "split",
      type: TYPE,
      ...info,
      params: p,
      split(table: Table) {
        const times = readTimes(table, p.timeCol, `${info.name}.timeCol`);
        requireField(table.schema, p.userCol, `${info.name}.userCol`);
        const { codes, numGroups } = groupCodes(table.getChild(p.userCol)!, p.userCol, info.name);
        return splitBySide(table, leaveLastOutSides(times, codes, numGroups));
      },
    };
  },
  example: () => ({
    params: { userCol: "user", timeCol: "timestamp" },
    train: new Table({
      user: makeVector(new Int32Array([1, 1, 1, 2, 3, 3])),
      item: makeVector(new Int32Array([1, 2, 3, 1, 1, 2])),
      timestamp: makeVector(new Float64Array([10, 30, 20, 5, 7, 7])),
    }),
  }),
});
