import { sqlTransformer } from "../../../../stages/sql-transformer.js";
import { defineRemoteStage } from "./remote-stage.js";

/**
 * `SELECT * FROM __THIS__ WHERE p`, with nothing in `p` that could add, drop, repeat or reorder columns or rows beyond
 * the filter (no subquery, join, set operation, grouping, ordering or limit): the rows it keeps are input rows with
 * every input column, so the file-position column passes through it and a later drop-duplicates can still break
 * ties by position. Judged on the text, conservatively: a statement not recognised only loses the position.
 */
const ROW_FILTER = /^\s*select\s+\*\s+from\s+__this__\s+where\s+([\s\S]+)$/i;
const NOT_ONLY_A_FILTER =
  /\b(select|union|intersect|except|minus|join|limit|offset|order|sort|distribute|cluster|group|having|window|qualify|lateral|tablesample)\b|;/i;

export function isRowFilter(statement: string): boolean {
  const m = ROW_FILTER.exec(statement);
  return m !== null && !NOT_ONLY_A_FILTER.test(m[1]);
}

/** Spark's own SQLTransformer, with the statement as written (Spark SQL; the local DuckDB rewrite is not involved). */
export const sqlTransformerRemote = defineRemoteStage<{ statement: string }>({
  definition: sqlTransformer,
  runs: "ml",
  keepsColumns: (p) => isRowFilter(p.statement),
  checkedKey: () => "statement",
  className: "org.apache.spark.ml.feature.SQLTransformer",
  params: { statement: "string" },
});
