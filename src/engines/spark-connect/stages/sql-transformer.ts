import { sqlTransformer } from "../../../../stages/sql-transformer.js";
import { defineRemoteStage } from "./remote-stage.js";

/** Spark's own SQLTransformer, with the statement as written (Spark SQL; the local DuckDB rewrite is not involved). */
export const sqlTransformerRemote = defineRemoteStage({
  definition: sqlTransformer,
  runs: "ml",
  className: "org.apache.spark.ml.feature.SQLTransformer",
  params: { statement: "string" },
});
