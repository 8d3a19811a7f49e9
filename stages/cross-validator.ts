import { z } from "zod";
import { defineStage } from "../src/core/define-stage.js";
import { seedParam } from "../src/core/params.js";
import { tunerParams } from "./tuner-params.js";

/**
 * CrossValidator: k folds drawn from the training split only; every param map is fitted on k-1 folds and scored on
 * the remaining one; the best mean (by the evaluator's isLargerBetter, first index on ties) is refitted on all of
 * train. The pipeline runner carries it out (src/run/tune.ts); this declares its params.
 */
export const crossValidator = defineStage({
  type: "cross-validator",
  role: "tuner",
  doc: "K-fold cross-validation over a param grid (Spark CrossValidator). Folds come from the training split only; the test split is touched once, by the final evaluation.",
  sparkClass: "org.apache.spark.ml.tuning.CrossValidator",
  uidPrefix: "cv",
  params: z.object({
    numFolds: z.number().int().min(2).default(3).describe("number of folds (>= 2)"),
    seed: seedParam(),
    parallelism: z.number().int().min(1).default(1).describe("param maps fitted concurrently (ALS workers are shared among them)"),
    collectSubModels: z
      .boolean()
      .default(false)
      .refine((v) => !v, {
        message:
          "true is not supported: recpipe does not keep the numFolds x numParamMaps fitted sub-models (nor write Spark's subModels/ folder); every trial's metric per fold is in tuning.parquet. Remove the key or set it to false",
      })
      .describe("Spark keeps every fitted sub-model when true; recpipe refuses true (it keeps no sub-models; tuning.parquet has every trial's fold metrics)"),
    foldCol: z.string().default("").describe('integer column with each row\'s fold in [0, numFolds); "" draws folds at random'),
    ...tunerParams,
  }),
  create: (params, info) => ({ type: "cross-validator", ...info, params }),
});
