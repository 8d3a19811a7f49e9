import { Field, Float32, makeVector, tableFromArrays, type Schema, type Table } from "apache-arrow";
import { z } from "zod";
import { defineStage, loadFromParams, sparkParamMaps, type StageInfo, rebuildWithParams, saveParams } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import { columnName } from "../src/core/params.js";
import type { SavedStage } from "../src/core/saved-stage.js";
import type { Estimator, Model } from "../src/core/stage.js";
import { float64Values, requireNumeric, schemaWith, withColumns } from "../src/core/table.js";

const CLASS = "recpipe.baseline.GlobalMean";
const MODEL_CLASS = "recpipe.baseline.GlobalMeanModel";

const params = z.object({
  ratingCol: columnName("column with the ratings to average").default("rating"),
  predictionCol: columnName("output column with the prediction").default("prediction"),
});
type Params = z.output<typeof params>;

/** Predicts the mean training rating for every row: the score any model has to beat. */
export const globalMean = defineStage({
  type: "global-mean",
  role: "estimator",
  doc: "Baseline: predicts the mean rating of the training rows for every row. Every report shows what it scores.",
  sparkClass: CLASS,
  uidPrefix: "globalMean",
  params,
  create(p, info): Estimator {
    const outputSchema = (schema: Schema) => schemaWith(schema, [new Field(p.predictionCol, new Float32(), false)]);
    const self: Estimator = {
      role: "estimator",
      type: "global-mean",
      ...info,
      params: p,
      transformSchema(schema) {
        requireNumeric(schema, p.ratingCol, `${info.name}.ratingCol`);
        return outputSchema(schema);
      },
      async fit(table) {
        const r = float64Values(table, p.ratingCol, info.name);
        if (r.length === 0) throw new InputError("E_DATA", `${info.name}: no training rows to average`);
        let s = 0;
        for (let i = 0; i < r.length; i++) s += r[i];
        return globalMeanModel(p, info, s / r.length);
      },
      withParams: (o) => rebuildWithParams(globalMean, p, info, o),
      save: () => saveParams(globalMean, p, info),
    };
    return self;
  },
  loaders: {
    [CLASS]: (s): Estimator => loadFromParams(globalMean, s),
    [MODEL_CLASS]: (s) => {
      const p = params.parse({ ...s.defaultParamMap, ...s.paramMap });
      return globalMeanModel(p, { uid: s.uid, name: "global-mean", explicitParams: new Set(Object.keys(s.paramMap)) }, Number(s.extra?.mean));
    },
  },
  example: () => ({
    params: { ratingCol: "rating" },
    train: tableFromArrays({ user: new Int32Array([0, 1, 2]), rating: new Float32Array([1, 2, 4.5]) }),
  }),
});

function globalMeanModel(p: Params, info: StageInfo, mean: number): Model {
  return {
    role: "model",
    type: "global-mean",
    ...info,
    params: p,
    transformSchema: (schema) => schemaWith(schema, [new Field(p.predictionCol, new Float32(), false)]),
    transform: (table: Table) => withColumns(table, { [p.predictionCol]: makeVector(new Float32Array(table.numRows).fill(mean)) }),
    save: () => ({ ...saved(MODEL_CLASS, info.uid, p, info.explicitParams), extra: { mean } }),
  };
}

function saved(className: string, uid: string, p: Params, explicit: ReadonlySet<string>): SavedStage {
  return { className, uid, ...sparkParamMaps(p, explicit, undefined, params) };
}
