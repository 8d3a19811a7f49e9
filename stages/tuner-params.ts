import { z } from "zod";

/** Params both tuners share: the evaluator that picks the winner and the grid it searches. */
export const tunerParams = {
  evaluator: z.record(z.string(), z.unknown()).describe("evaluator that scores each param map, e.g. {type: regression-evaluator, metricName: rmse}"),
  paramGrid: z
    .record(z.string(), z.array(z.unknown()).min(1))
    .describe('values to try per "stage.param" key, e.g. {als.rank: [8, 16]}; expanded as PySpark\'s ParamGridBuilder (last key varies fastest)'),
  baseOn: z
    .record(z.string(), z.unknown())
    .default({})
    .describe(
      "params fixed in every param map, e.g. {als.maxIter: 5} (PySpark's ParamGridBuilder.baseOn, which adds each as a one-value grid entry: they come first and are recorded with every map)",
    ),
  refit: z
    .enum(["train", "all"])
    .default("train")
    .describe(
      "what the best param map is refitted on: train (the training split; the saved model is the one the test metrics score) or all (every row, for production: test metrics still come from the best params fitted on train, then the saved model and recommendations are refitted on train + test)",
    ),
};
