import { regressionEvaluator } from "../../../../stages/regression-evaluator.js";
import { defineRemoteStage } from "./remote-stage.js";

/** Spark's RegressionEvaluator, run by the server over the model's output. */
export const regressionEvaluatorRemote = defineRemoteStage<{ weightCol?: string }>({
  definition: regressionEvaluator,
  runs: "ml",
  className: "org.apache.spark.ml.evaluation.RegressionEvaluator",
  params: { metricName: "string", labelCol: "string", predictionCol: "string", weightCol: "string", throughOrigin: "boolean" },
  // Spark's RegressionMetrics from per-side sums (regression-metrics-sql.ts); weighted ones stay with Spark's evaluator.
  inOneRegressionJob: (p) => p.weightCol === undefined,
});
