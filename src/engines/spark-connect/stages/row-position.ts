import type { Field } from "apache-arrow";
import type { Relation } from "../gen/spark/connect/relations_pb.js";
import type { SparkMl } from "../transport/ml.js";
import { sql } from "../transport/plan.js";

/**
 * The column that carries each row's position in the source, as read, through the prepare steps on the cluster: Spark
 * keeps no row order, and drop-duplicates breaks its ties by file position as the local engine does. Attached when
 * recpipe reads the file itself and uploads it (the only case where the file order is known exactly), dropped after
 * prepare; never seen by a user's statement, by drop-na's or drop-duplicates' default columns, or by the pipeline.
 */
export const POSITION_COL = "__recpipe_row";

/** A relation's columns (names and Arrow types), from an empty result: no data is read. */
export async function fieldsOf(ml: SparkMl, rel: Relation, what: string): Promise<Field[]> {
  return (await ml.collect(sql("SELECT * FROM {d} LIMIT 0", { d: rel }), what)).schema.fields;
}

/** The relation's columns a step considers by default (every column): all but the position column. */
export async function userColumns(ml: SparkMl, rel: Relation, what: string): Promise<string[]> {
  return (await fieldsOf(ml, rel, what)).map((f) => f.name).filter((n) => n !== POSITION_COL);
}

/** A row's index among the relation's rows in file order (0-based, as the local engine numbers them after earlier steps). */
export async function rowIndex(ml: SparkMl, rel: Relation, position: number, what: string): Promise<number> {
  const t = await ml.collect(sql(`SELECT count(*) AS n FROM {d} WHERE ${POSITION_COL} < ${position}`, { d: rel }), what);
  return Number(t.getChild("n")!.get(0));
}
