import { binarizer } from "../../../../stages/binarizer.js";
import { dropColumns, sql } from "../transport/plan.js";
import { ident } from "../transport/sql-text.js";
import { defineRemoteStage } from "./remote-stage.js";

interface Params {
  inputCols?: string[];
}

const CAST = "__recpipe_double_";

/**
 * Spark's Binarizer, applied by the server. Spark's accepts only Double input columns (recpipe's any numeric one), and
 * a null input stays null in Spark 3.5 (0.0 in Spark 4, as locally).
 *
 * So each input column is cast to double in a column of its own, which Spark's Binarizer reads instead and which is
 * dropped after it (a Double column's cast changes nothing): the output is what the local stage computes (Spark's
 * after a cast), the input columns keep their types, as locally, and the saved operator keeps the user's inputCol(s).
 */
export const binarizerRemote = defineRemoteStage<Params>({
  definition: binarizer,
  runs: "ml",
  keepsColumns: true,
  checkedKey: (p) => (p.inputCols ? "inputCols" : "inputCol"),
  className: "org.apache.spark.ml.feature.Binarizer",
  params: { inputCol: "string", outputCol: "string", inputCols: "string[]", outputCols: "string[]", threshold: "double", thresholds: "double[]" },
  apply(ml, op, input) {
    const value = (name: string) => op.params.find((q) => q.name === name)?.value;
    const ins = (value("inputCols") as string[] | undefined) ?? [value("inputCol") as string];
    const temps = ins.map((_, j) => `${CAST}${j}`);
    const cast = sql(`SELECT *, ${ins.map((c, j) => `CAST(${ident(c)} AS DOUBLE) AS ${temps[j]}`).join(", ")} FROM {d}`, { d: input });
    const params = op.params.map((q) => (q.name === "inputCol" ? { ...q, value: temps[0] } : q.name === "inputCols" ? { ...q, value: temps } : q));
    return dropColumns(ml.transformWith({ ...op, params }, cast), temps);
  },
});
