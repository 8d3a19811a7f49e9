import { z } from "zod";
import { defineStage } from "../src/core/define-stage.js";
import { seedParam } from "../src/core/params.js";
import { tunerParams } from "./tuner-params.js";

/** TrainValidationSplit: one random split of the training rows into fit and validation parts. */
export const trainValidationSplit = defineStage({
  type: "train-validation-split",
  role: "tuner",
  doc: "Hyperparameter search with one train/validation split of the training rows (Spark TrainValidationSplit).",
  sparkClass: "org.apache.spark.ml.tuning.TrainValidationSplit",
  uidPrefix: "tvs",
  params: z.object({
    trainRatio: z.number().gt(0).lt(1).default(0.75).describe("fraction of the training rows used to fit; the rest validates (0 < trainRatio < 1)"),
    seed: seedParam(),
    parallelism: z.number().int().min(1).default(1).describe("param maps fitted concurrently"),
    collectSubModels: z
      .boolean()
      .default(false)
      .refine((v) => !v, {
        message:
          "true is not supported: recpipe does not keep the numParamMaps fitted sub-models (nor write Spark's subModels/ folder); every trial's metric per fold is in tuning.parquet. Remove the key or set it to false",
      })
      .describe("Spark keeps every fitted sub-model when true; recpipe refuses true (it keeps no sub-models; tuning.parquet has every trial's fold metrics)"),
    ...tunerParams,
  }),
  create: (params, info) => ({ type: "train-validation-split", ...info, params }),
});
