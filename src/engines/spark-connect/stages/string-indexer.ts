import { labelsTable, stringIndexer } from "../../../../stages/string-indexer.js";
import { defineRemoteStage } from "./remote-stage.js";

/** Spark's StringIndexer; its fitted labels come back as the StringIndexerModel's data table. */
export const stringIndexerRemote = defineRemoteStage({
  definition: stringIndexer,
  runs: "ml",
  className: "org.apache.spark.ml.feature.StringIndexer",
  params: { inputCol: "string", outputCol: "string", inputCols: "string[]", outputCols: "string[]", handleInvalid: "string", stringOrderType: "string" },
  async fetch(ml, model, saved, name) {
    const labels = (await ml.fetchValue(model, "labelsArray", `fetching the labels of ${name}`)) as string[][];
    return { ...saved, className: "org.apache.spark.ml.feature.StringIndexerModel", tables: { data: labelsTable(labels) } };
  },
});
