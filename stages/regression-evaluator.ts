import { makeVector, Table } from "apache-arrow";
import { z } from "zod";
import { defineStage, sparkParamMaps, type StageInfo } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import { paramsFromSaved } from "../src/core/saved-params.js";
import type { Evaluator, EvaluationInput } from "../src/core/stage.js";
import type { RunContext } from "../src/core/run-context.js";
import { describeType, float64Column, float64Values, requireField, requireNumeric } from "../src/core/table.js";
import { regressionMetric } from "../src/kernels/regression-metrics.js";
import { DataType } from "apache-arrow";

const CLASS = "org.apache.spark.ml.evaluation.RegressionEvaluator";
const TYPE = "regression-evaluator";

const params = z.object({
  metricName: z
    .enum(["rmse", "mse", "mae", "r2", "var"])
    .default("rmse")
    .describe("rmse (root mean squared error), mse, mae (mean absolute error), r2 (coefficient of determination) or var (explained variance)"),
  labelCol: z
    .string()
    .min(1)
    .default("rating")
    .describe('column with the true values; recpipe\'s default is "rating" (Spark\'s is "label"); it is always saved as set, so Spark reads the same column'),
  predictionCol: z.string().min(1).default("prediction").describe("column with the predictions (Float or Double)"),
  weightCol: z.string().min(1).optional().describe("optional column of non-negative row weights; none means every row weighs 1"),
  throughOrigin: z.boolean().default(false).describe("r2 of a regression through the origin: 1 - SSerr / Σw·y²"),
});
type Params = z.output<typeof params>;

export const regressionEvaluator = defineStage({
  type: TYPE,
  role: "evaluator",
  doc:
    "Spark's RegressionEvaluator: rmse, mse, mae, r2 or explained variance of the predictions against the labels, " +
    "with Spark's weighted formulas. Nothing is filtered: a NaN prediction (an ALS cold start with " +
    "coldStartStrategy nan) makes the metric NaN, as in Spark; set coldStartStrategy: drop.",
  sparkClass: CLASS,
  uidPrefix: "regEval",
  params,
  create(p, info): Evaluator {
    return regressionEvaluatorOf(p, info);
  },
  loaders: {
    [CLASS]: (s): Evaluator => {
      const { raw, explicit } = paramsFromSaved(s, Object.keys(params.shape));
      return regressionEvaluatorOf(params.parse(raw), { uid: s.uid, name: TYPE, explicitParams: explicit });
    },
  },
  example: () => ({
    params: { metricName: "r2" },
    train: new Table({ rating: makeVector(new Float32Array([3, 4, 5, 1])), prediction: makeVector(new Float32Array([2.5, 4, 4.5, 2])) }),
  }),
});

function regressionEvaluatorOf(p: Params, info: StageInfo): Evaluator {
  return {
    role: "evaluator",
    type: TYPE,
    ...info,
    params: p,
    metricKey: p.metricName,
    isLargerBetter: p.metricName === "r2" || p.metricName === "var",
    needsRecommender: false,
    async evaluate(input: EvaluationInput, ctx: RunContext) {
      const t = input.predictions;
      const pf = requireField(t.schema, p.predictionCol, `${info.name}.predictionCol`);
      if (!DataType.isFloat(pf.type))
        throw new InputError("E_COLUMN", `${info.name}.predictionCol: column "${p.predictionCol}" must be Float or Double; found ${describeType(pf.type)}`);
      requireNumeric(t.schema, p.labelCol, `${info.name}.labelCol`);
      const labels = float64Values(t, p.labelCol, info.name);
      const preds = float64Values(t, p.predictionCol, info.name);
      let weights: Float64Array | undefined;
      if (p.weightCol !== undefined) {
        requireNumeric(t.schema, p.weightCol, `${info.name}.weightCol`);
        weights = float64Column(t, p.weightCol, info.name);
        for (let i = 0; i < weights.length; i++)
          if (!(weights[i] >= 0))
            throw new InputError("E_DATA", `${info.name}: column "${p.weightCol}" row ${i}: weights must be non-negative numbers; got ${weights[i]}`);
      }
      let nanPreds = 0;
      for (let i = 0; i < preds.length; i++) if (Number.isNaN(preds[i])) nanPreds++;
      if (nanPreds > 0)
        ctx.warn(
          `${info.name}: ${nanPreds} of ${preds.length} predictions are NaN (users or items unseen in training), so ${p.metricName} is NaN, as in Spark. ` +
            `Set coldStartStrategy: drop on the ALS stage to evaluate only rows it can predict.`,
        );
      if (t.numRows === 0) ctx.warn(`${info.name}: no rows to evaluate; ${p.metricName} is NaN`);
      return regressionMetric(p.metricName, labels, preds, weights, p.throughOrigin);
    },
    save() {
      // labelCol is saved as set: recpipe's default ("rating") differs from Spark's ("label").
      const explicit = new Set([...info.explicitParams, "labelCol"]);
      return { className: CLASS, uid: info.uid, ...sparkParamMaps(p, explicit) };
    },
  };
}
