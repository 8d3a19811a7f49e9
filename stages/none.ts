import { makeVector, Table } from "apache-arrow";
import { z } from "zod";
import { defineStage } from "../src/core/define-stage.js";
import type { Splitter } from "../src/core/stage.js";
import { takeRows } from "../src/core/table.js";

const TYPE = "none";

/**
 * `split: {type: none}`: every row trains and the test set is empty, for the model that goes to production once the
 * experiments have chosen its params. The runner then computes no test metrics and says so; recommendations and the
 * saved model are as usual.
 */
export const noSplit = defineStage({
  type: TYPE,
  role: "split",
  doc: "No split: every row trains, the test set is empty (a model for production). The run reports no test metrics and says why; recommendations and the model are written as usual.",
  sparkClass: "recpipe.split.None",
  uidPrefix: "noSplit",
  params: z.object({}),
  create(p, info): Splitter {
    return {
      role: "split",
      type: TYPE,
      ...info,
      params: p,
      split: (table: Table) => ({ train: table, test: takeRows(table, new Int32Array(0)) }),
    };
  },
  example: () => ({
    params: {},
    train: new Table({
      user: makeVector(new Int32Array([1, 2, 3])),
      item: makeVector(new Int32Array([1, 1, 2])),
      rating: makeVector(new Float32Array([5, 3, 4])),
    }),
  }),
});
