import { binarizer } from "../../../../stages/binarizer.js";
import { defineRemoteStage } from "./remote-stage.js";

/**
 * Spark's Binarizer, applied by the server. Spark's accepts only Double input columns (recpipe's any numeric one), and
 * a null input stays null in Spark 3.5 (0.0 in Spark 4, as locally).
 */
export const binarizerRemote = defineRemoteStage({
  definition: binarizer,
  runs: "ml",
  keepsColumns: true,
  className: "org.apache.spark.ml.feature.Binarizer",
  params: { inputCol: "string", outputCol: "string", inputCols: "string[]", outputCols: "string[]", threshold: "double", thresholds: "double[]" },
});
