import { DataType, type Field, type Table } from "apache-arrow";
import { dropDuplicates } from "../../../../stages/drop-duplicates.js";
import { InputError } from "../../../core/errors.js";
import type { Relation } from "../gen/spark/connect/relations_pb.js";
import { dropColumns, sql } from "../transport/plan.js";
import { ident } from "../transport/sql-text.js";
import { defineRemoteStage, type PrepareContext } from "./remote-stage.js";
import { fieldsOf, POSITION_COL, rowIndex } from "./row-position.js";

interface Params {
  cols?: string[];
  keep: "first" | "last" | "error";
  orderBy?: string;
}

const RN = "__recpipe_rn";
const POS = POSITION_COL;

/** Why the position is unknown when it is: the rule the local engine follows cannot be followed, so it is refused. */
const NO_POSITION =
  "the rows' position in the file is not known on the cluster here (a file the cluster reads itself, or rows after a sql-transformer step that does more than filter rows)";

/**
 * The local rule as a Spark plan: in each group of rows equal on cols, the row with the smallest (first) or largest
 * (last) (orderBy, file position) survives: row_number() over the group ordered by both. Without the position column
 * the plan is exact only when no tie is decided by position (the tied rows are equal in every column, so any of them
 * gives the same rows): that is checked on the cluster, and a tie that position would decide is refused (exit 2).
 */
export const dropDuplicatesRemote = defineRemoteStage<Params>({
  definition: dropDuplicates,
  runs: "sql",
  readsPosition: true,
  async prepare({ rel, positioned }, p, ctx) {
    const fields = (await fieldsOf(ctx.ml, rel, `reading the columns for ${ctx.where("cols")}`)).filter((f) => f.name !== POS);
    const cols = p.cols ?? fields.map((f) => f.name);
    const group = cols.map(ident).join(", ");
    if (p.keep === "error") {
      await refuseDuplicates(ctx, rel, positioned, cols);
      return { rel, positioned };
    }
    const dir = p.keep === "last" ? "DESC" : "ASC";
    const order: string[] = [];
    if (p.orderBy !== undefined) {
      await requireOrderValues(ctx, rel, positioned, p.orderBy, fields);
      order.push(`${ident(p.orderBy)} ${dir}`);
    }
    if (positioned) order.push(`${POS} ${dir}`);
    else await refusePositionTies(ctx, rel, cols, p);
    const ranked = sql(`SELECT *, row_number() OVER (PARTITION BY ${group} ORDER BY ${order.join(", ") || group}) AS ${RN} FROM {d}`, { d: rel });
    return { rel: dropColumns(sql(`SELECT * FROM {r} WHERE ${RN} = 1`, { r: ranked }), [RN]), positioned };
  },
});

/** As locally: the orderBy column must hold a value (not null, not NaN) in every row; the first row without one is named. */
async function requireOrderValues(ctx: PrepareContext, rel: Relation, positioned: boolean, col: string, fields: Field[]): Promise<void> {
  const f = fields.find((x) => x.name === col);
  const float = f !== undefined && DataType.isFloat(f.type);
  const o = ident(col);
  const what = `checking ${ctx.where("orderBy")}`;
  const bad = await ctx.ml.collect(
    sql(
      `SELECT ${o} IS NULL AS isnull${positioned ? `, ${POS} AS pos` : ""} FROM {d} WHERE ${o} IS NULL${float ? ` OR isnan(${o})` : ""}${positioned ? ` ORDER BY ${POS}` : ""} LIMIT 1`,
      {
        d: rel,
      },
    ),
    what,
  );
  if (bad.numRows === 0) return;
  const held = bad.getChild("isnull")!.get(0) ? "null" : "NaN";
  const row = positioned ? `row ${await rowIndex(ctx.ml, rel, Number(bad.getChild("pos")!.get(0)), what)}` : "a row";
  throw new InputError(
    "E_DATA",
    `${ctx.where("orderBy")}: column "${col}" must hold a value in every row to order duplicates by; ${row} holds ${held} (drop them first with {type: drop-na, cols: [${col}]})`,
  );
}

/** keep: error, as locally: the first row (in file order) that repeats an earlier one, named with that earlier row. */
async function refuseDuplicates(ctx: PrepareContext, rel: Relation, positioned: boolean, cols: string[]): Promise<void> {
  const group = cols.map(ident).join(", ");
  const what = `checking ${ctx.where("keep")}`;
  const counts = await ctx.ml.collect(
    sql(`SELECT (SELECT count(*) FROM {d}) - (SELECT count(*) FROM (SELECT 1 FROM {d} GROUP BY ${group})) AS n`, { d: rel }),
    what,
  );
  const dups = Number(counts.getChild("n")!.get(0));
  if (dups === 0) return;
  const values = (t: Table) => cols.map((c) => `${c}=${String(t.getChild(c)!.get(0))}`).join(", ");
  const tail = `${dups} rows duplicate an earlier one; set keep: first or last to drop them`;
  if (!positioned) {
    const t = await ctx.ml.collect(sql(`SELECT ${group} FROM {d} GROUP BY ${group} HAVING count(*) > 1 LIMIT 1`, { d: rel }), what);
    throw new InputError("E_DATA", `${ctx.where("keep")}: error: rows are duplicates on [${cols.join(", ")}] (${values(t)}); ${tail}`);
  }
  const t = await ctx.ml.collect(
    sql(
      `SELECT * FROM (SELECT ${group}, ${POS} AS pos, row_number() OVER (PARTITION BY ${group} ORDER BY ${POS}) AS ${RN},
              min(${POS}) OVER (PARTITION BY ${group}) AS first FROM {d}) WHERE ${RN} = 2 ORDER BY pos LIMIT 1`,
      { d: rel },
    ),
    what,
  );
  const earlier = await rowIndex(ctx.ml, rel, Number(t.getChild("first")!.get(0)), what);
  const later = await rowIndex(ctx.ml, rel, Number(t.getChild("pos")!.get(0)), what);
  throw new InputError("E_DATA", `${ctx.where("keep")}: error: rows ${earlier} and ${later} are duplicates on [${cols.join(", ")}] (${values(t)}); ${tail}`);
}

/**
 * Without the position column: a group whose candidates (the rows at the group's first or last orderBy value, or all
 * its rows without orderBy) differ in some column would need the file position to pick one. Refused, naming the key.
 */
async function refusePositionTies(ctx: PrepareContext, rel: Relation, cols: string[], p: Params): Promise<void> {
  const group = cols.map(ident).join(", ");
  const candidates =
    p.orderBy === undefined
      ? rel
      : sql(
          `SELECT * FROM (SELECT *, rank() OVER (PARTITION BY ${group} ORDER BY ${ident(p.orderBy)} ${p.keep === "last" ? "DESC" : "ASC"}) AS ${RN} FROM {d}) WHERE ${RN} = 1`,
          { d: rel },
        );
  const t = await ctx.ml.collect(
    sql(`SELECT ${group} FROM (SELECT DISTINCT * FROM {c}) GROUP BY ${group} HAVING count(*) > 1 LIMIT 1`, { c: candidates }),
    `checking ${ctx.where("keep")}`,
  );
  if (t.numRows === 0) return;
  const values = cols.map((c) => `${c}=${String(t.getChild(c)!.get(0))}`).join(", ");
  throw new InputError(
    "E_UNSUPPORTED",
    `${ctx.where("keep")}: ${p.keep}: rows equal on [${cols.join(", ")}] (${values}) differ in other columns${p.orderBy ? ` and tie on orderBy ${p.orderBy}` : ""}, so the ${p.keep} row in file order survives; ` +
      `${NO_POSITION}: ${p.orderBy ? "give an orderBy" : "add an orderBy"} that decides ties (a column such as a timestamp whose values differ within each group of equal [${cols.join(", ")}]), or run without --remote`,
  );
}
