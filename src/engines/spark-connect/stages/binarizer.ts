import { DataType, Precision } from "apache-arrow";
import { binarizer } from "../../../../stages/binarizer.js";
import { dropColumns, sql } from "../transport/plan.js";
import { ident } from "../transport/sql-text.js";
import { defineRemoteStage } from "./remote-stage.js";
import { fieldsOf } from "./row-position.js";

interface Params {
  inputCol?: string;
  inputCols?: string[];
}

const CAST = "__recpipe_double_";

/**
 * Spark's Binarizer, applied by the server. Spark's accepts only Double input columns (recpipe's any numeric one), and
 * a null input stays null in Spark 3.5 (0.0 in Spark 4, as locally).
 *
 * As a prepare step, an input column that is not Double (an integer rating read from a csv) is cast to double in a
 * column of its own, which Spark's Binarizer reads instead and which is dropped after it: the output is what the local
 * step computes (Spark's after a cast), and the input column keeps its type, as locally.
 */
export const binarizerRemote = defineRemoteStage<Params>({
  definition: binarizer,
  runs: "ml",
  keepsColumns: true,
  checkedKey: (p) => (p.inputCols ? "inputCols" : "inputCol"),
  className: "org.apache.spark.ml.feature.Binarizer",
  params: { inputCol: "string", outputCol: "string", inputCols: "string[]", outputCols: "string[]", threshold: "double", thresholds: "double[]" },
  async prepare({ rel, positioned }, p, { ml, where, operator }) {
    const fields = await fieldsOf(ml, rel, `reading the columns for ${where(p.inputCols ? "inputCols" : "inputCol")}`);
    const isDouble = (c: string) => fields.some((f) => f.name === c && DataType.isFloat(f.type) && f.type.precision === Precision.DOUBLE);
    const ins = p.inputCols ?? [p.inputCol!];
    const read = ins.map((c, j) => (isDouble(c) ? c : `${CAST}${j}`));
    const casts = ins.flatMap((c, j) => (read[j] === c ? [] : [`CAST(${ident(c)} AS DOUBLE) AS ${read[j]}`]));
    const input = casts.length > 0 ? sql(`SELECT *, ${casts.join(", ")} FROM {d}`, { d: rel }) : rel;
    const op = operator();
    const params = op.params.map((q) => (q.name === "inputCol" ? { ...q, value: read[0] } : q.name === "inputCols" ? { ...q, value: read } : q));
    const out = ml.transformWith({ ...op, params }, input);
    return {
      rel:
        casts.length > 0
          ? dropColumns(
              out,
              read.filter((c, j) => c !== ins[j]),
            )
          : out,
      positioned,
    };
  },
});
