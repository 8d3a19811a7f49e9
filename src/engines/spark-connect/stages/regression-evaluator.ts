import { regressionEvaluator } from "../../../../stages/regression-evaluator.js";
import { defineRemoteStage } from "./remote-stage.js";

/** Spark's RegressionEvaluator, run by the server over the model's output. */
export const regressionEvaluatorRemote = defineRemoteStage({
  definition: regressionEvaluator,
  runs: "ml",
  className: "org.apache.spark.ml.evaluation.RegressionEvaluator",
  params: { metricName: "string", labelCol: "string", predictionCol: "string", weightCol: "string", throughOrigin: "boolean" },
});
