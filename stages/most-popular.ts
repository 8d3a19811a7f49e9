import { Field, Float32, makeVector, Table, type Schema } from "apache-arrow";
import { z } from "zod";
import { defineStage, sparkParamMaps, type StageInfo, loadFromParams, rebuildWithParams, savedParamsAndInfo, saveParams } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import { globalScoreRecommender } from "../src/core/global-score-recommender.js";
import { idColumn } from "../src/core/id-column.js";
import { keptTrainingIds } from "../src/core/training-ids.js";
import type { Estimator, Model, Recommender } from "../src/core/stage.js";
import { requireNumeric, schemaWith, withColumns } from "../src/core/table.js";
import { denseIds } from "../src/kernels/dense-ids.js";
import { makeIdLookup } from "../src/kernels/id-lookup.js";
import { requireTable } from "./bias-baseline.js";

const CLASS = "recpipe.baseline.MostPopular";
const MODEL_CLASS = "recpipe.baseline.MostPopularModel";
const TYPE = "most-popular";

const params = z.object({
  userCol: z.string().min(1).default("user").describe("integer user id column"),
  itemCol: z.string().min(1).default("item").describe("integer item id column"),
  predictionCol: z.string().min(1).default("prediction").describe("output column: the item's number of training rows (0 for unknown items)"),
});
type Params = z.output<typeof params>;

/** Training rows per item: known users and items ascending, with item counts. */
export function itemPopularity(users: Int32Array, items: Int32Array): { userIds: Int32Array; itemIds: Int32Array; counts: Float64Array } {
  const I = denseIds(items);
  const counts = new Float64Array(I.uniq.length);
  for (let r = 0; r < items.length; r++) counts[I.index[r]]++;
  return { userIds: denseIds(users).uniq, itemIds: I.uniq, counts };
}

export const mostPopular = defineStage({
  type: TYPE,
  role: "estimator",
  doc:
    "Baseline recommender: ranks items by their number of training rows (ties to the larger id), the same list for " +
    "every known user with seen items excluded. Its prediction column is the item's training count, so use it with " +
    "ranking evaluators, not regression ones.",
  sparkClass: CLASS,
  uidPrefix: "mostPopular",
  params,
  create(p, info): Estimator {
    const self: Estimator = {
      role: "estimator",
      type: TYPE,
      ...info,
      params: p,
      transformSchema: (schema) => modelSchema(schema, p, info.name),
      async fit(table) {
        self.transformSchema(table.schema);
        // Kept by bias-baseline when it fitted on this very table (its ids valid): the same arrays, not indexed again.
        const kept = keptTrainingIds(table, p.userCol, p.itemCol);
        if (kept) return popularModel(p, info, { userIds: kept.userIds, itemIds: kept.itemIds, counts: kept.itemCounts });
        const u = idColumn(table, p.userCol, `${info.name}.userCol`);
        const i = idColumn(table, p.itemCol, `${info.name}.itemCol`);
        if (u.numInvalid + i.numInvalid > 0)
          throw new InputError("E_DATA", `${info.name}: training rows have null or NaN ids in "${p.userCol}" or "${p.itemCol}"`);
        return popularModel(p, info, itemPopularity(u.ids, i.ids));
      },
      withParams: (o) => rebuildWithParams(mostPopular, p, info, o),
      save: () => saveParams(mostPopular, p, info),
    };
    return self;
  },
  loaders: {
    [CLASS]: (s): Estimator => loadFromParams(mostPopular, s),
    [MODEL_CLASS]: (s) => {
      const { params: loaded, info } = savedParamsAndInfo(params, TYPE, s);
      const items = requireTable(s, "itemCounts");
      const users = requireTable(s, "users");
      return popularModel(loaded, info, {
        userIds: Int32Array.from(users.getChild("id")!.toArray() as Int32Array),
        itemIds: Int32Array.from(items.getChild("id")!.toArray() as Int32Array),
        counts: Float64Array.from(items.getChild("count")!.toArray() as Float64Array),
      });
    },
  },
  example: () => ({
    params: {},
    train: new Table({ user: makeVector(new Int32Array([0, 0, 1, 2])), item: makeVector(new Int32Array([5, 6, 5, 7])) }),
    test: new Table({ user: makeVector(new Int32Array([1, 3])), item: makeVector(new Int32Array([6, 8])) }),
  }),
});

function modelSchema(schema: Schema, p: Params, where: string): Schema {
  requireNumeric(schema, p.userCol, `${where}.userCol`);
  requireNumeric(schema, p.itemCol, `${where}.itemCol`);
  return schemaWith(schema, [new Field(p.predictionCol, new Float32(), false)]);
}

function popularModel(p: Params, info: StageInfo, pop: ReturnType<typeof itemPopularity>): Model & Recommender {
  const rec = globalScoreRecommender({
    userCol: p.userCol,
    itemCol: p.itemCol,
    userIds: pop.userIds,
    userOffsets: new Float64Array(pop.userIds.length),
    itemIds: pop.itemIds,
    itemScores: pop.counts,
  });
  return {
    ...rec,
    role: "model",
    type: TYPE,
    ...info,
    params: p,
    transformSchema: (schema) => modelSchema(schema, p, info.name),
    transform(table: Table) {
      const i = idColumn(table, p.itemCol, `${info.name}.itemCol`);
      const itemRow = makeIdLookup(pop.itemIds);
      const out = new Float32Array(table.numRows);
      for (let r = 0; r < out.length; r++) {
        const d = i.valid[r] ? itemRow(i.ids[r]) : -1;
        out[r] = d >= 0 ? pop.counts[d] : 0;
      }
      return withColumns(table, { [p.predictionCol]: makeVector(out) });
    },
    save: () => ({
      className: MODEL_CLASS,
      uid: info.uid,
      ...sparkParamMaps(p, info.explicitParams),
      tables: {
        users: new Table({ id: makeVector(pop.userIds) }),
        itemCounts: new Table({ id: makeVector(pop.itemIds), count: makeVector(pop.counts) }),
      },
    }),
  };
}
