import { makeVector, Table, vectorFromArray, type Vector } from "apache-arrow";
import { z } from "zod";
import { defineStage, loadFromParams, saveParams } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import { rowKeys } from "../src/core/row-keys.js";
import type { Transformer } from "../src/core/stage.js";
import { groupCodes } from "../src/core/string-codes.js";
import { describeType, float64Column, isNumericType, isStringType, requireField, takeRows } from "../src/core/table.js";

const CLASS = "recpipe.feature.DropDuplicates";
const TYPE = "drop-duplicates";

const params = z.object({
  cols: z.array(z.string().min(1)).min(1).optional().describe("columns whose equal values make rows duplicates (Spark's subset); default: every column"),
  keep: z
    .enum(["first", "last", "error"])
    .default("first")
    .describe(
      "which row of each duplicate group survives: first or last in orderBy order (ties, and no orderBy: file order); error: stop at the first duplicate (exit 2)",
    ),
  orderBy: z.string().min(1).optional().describe("numeric or string column that orders each group's rows (e.g. a timestamp), ascending; it must hold no nulls"),
});
type Params = z.output<typeof params>;

/**
 * The row order the orderBy column gives, as a number per row (numbers as they are, strings by their rank in
 * JavaScript's string order, which is Spark's for Scala strings), or an InputError naming the first null.
 */
/** Values that order one column's rows: its own buffer where it can be read in place (no copy of 10M values). */
type OrderValues = Float64Array | Float32Array | Int32Array | BigInt64Array;

function orderValues(table: Table, col: string, where: string): OrderValues {
  const f = requireField(table.schema, col, where);
  const v = table.getChild(col) as Vector;
  if (isNumericType(f.type)) {
    const own = ownValues(v);
    const x = own ?? float64Column(table, col, where);
    // Nulls read as NaN; a column read in place has none, and its integers are never NaN.
    for (let r = 0; r < x.length; r++) {
      if (Number.isNaN(x[r]))
        throw new InputError(
          "E_DATA",
          `${where}: column "${col}" must hold a value in every row to order duplicates by; row ${r} holds ${v.get(r) === null ? "null" : "NaN"} (drop them first with {type: drop-na, cols: [${col}]})`,
        );
    }
    return x;
  }
  if (!isStringType(f.type)) throw new InputError("E_COLUMN", `${where}: column "${col}" must be numeric or string to order by; found ${describeType(f.type)}`);
  if (v.nullCount > 0) {
    let r = 0;
    while (v.isValid(r)) r++;
    throw new InputError(
      "E_DATA",
      `${where}: column "${col}" must hold a value in every row to order duplicates by; row ${r} holds null (drop them first with {type: drop-na, cols: [${col}]})`,
    );
  }
  return Float64Array.from(groupCodes(v, col, where).codes);
}

/** A one-chunk numeric column without nulls as its own values (signed types whose order the typed array keeps). */
function ownValues(v: Vector): OrderValues | undefined {
  if (v.data.length !== 1 || v.nullCount > 0) return undefined;
  const d = v.data[0];
  const x = d.values as unknown;
  // A sliced chunk's values start at its first row (src/core/table.ts).
  if (x instanceof Float64Array || x instanceof Float32Array || x instanceof Int32Array || x instanceof BigInt64Array) return x.subarray(0, d.length);
  return undefined;
}

/**
 * The rows that survive, ascending: each key's first or last row in `order` (ties, and no order: position). Only
 * these positions outlive the call (the keys and the order are garbage once it returns), so a table of 10M rows
 * costs its output and one position a kept row.
 */
export function survivors(keys: Int32Array, numKeys: number, keep: "first" | "last", order?: OrderValues): Int32Array {
  const best = new Int32Array(numKeys).fill(-1);
  const n = keys.length;
  for (let r = 0; r < n; r++) {
    const k = keys[r];
    const b = best[k];
    if (b < 0) best[k] = r;
    else if (keep === "last") {
      // Rows come in ascending position, so ">=" on the value gives ties to the later row.
      if (!order || order[r] >= order[b]) best[k] = r;
    } else if (order && order[r] < order[b]) best[k] = r;
  }
  const kept = new Int32Array(numKeys);
  for (let r = 0, o = 0; r < n; r++) if (best[keys[r]] === r) kept[o++] = r;
  return kept;
}

/** The surviving rows of `table` (rowKeys over `cols`, then `survivors`), or undefined when no row repeats. */
function survivingRows(table: Table, cols: readonly string[], p: Params, at: (key: string) => string): Int32Array | undefined {
  const order = p.orderBy !== undefined ? orderValues(table, p.orderBy, at("orderBy")) : undefined;
  const { keys, numKeys } = rowKeys(table, cols, at("cols"));
  if (p.keep === "error") {
    if (numKeys === table.numRows) return undefined;
    const firstRow = new Int32Array(numKeys).fill(-1);
    for (let r = 0; r < keys.length; r++) {
      const earlier = firstRow[keys[r]];
      if (earlier >= 0) {
        const values = cols.map((c) => `${c}=${String(table.getChild(c)!.get(r))}`).join(", ");
        throw new InputError(
          "E_DATA",
          `${at("keep")}: error: rows ${earlier} and ${r} are duplicates on [${cols.join(", ")}] (${values}); ${table.numRows - numKeys} rows duplicate an earlier one; set keep: first or last to drop them`,
        );
      }
      firstRow[keys[r]] = r;
    }
  }
  if (numKeys === table.numRows) return undefined;
  return survivors(keys, numKeys, p.keep === "last" ? "last" : "first", order);
}

export const dropDuplicates = defineStage({
  type: TYPE,
  role: "transformer",
  doc:
    "Drops duplicate rows (Spark's df.dropDuplicates(subset); pandas' drop_duplicates(subset, keep)): rows equal on " +
    "cols form a group and one row survives, defined unlike Spark's: the first or last by orderBy ascending, ties " +
    "and no orderBy by position in the file. keep: error stops at the first duplicate instead. Surviving rows stay " +
    "in file order. A prepare step, not part of the fitted model.",
  sparkClass: CLASS,
  uidPrefix: "dropDup",
  prepareOnly: true,
  params,
  create(p: Params, info): Transformer {
    const at = (key: string) => `${info.name}.${key}`;
    return {
      role: "transformer",
      type: TYPE,
      ...info,
      params: p,
      transformSchema(schema) {
        (p.cols ?? []).forEach((c, i) => requireField(schema, c, at(`cols[${i}]`)));
        if (p.orderBy !== undefined) {
          const f = requireField(schema, p.orderBy, at("orderBy"));
          if (!isNumericType(f.type) && !isStringType(f.type))
            throw new InputError("E_COLUMN", `${at("orderBy")}: column "${p.orderBy}" must be numeric or string to order by; found ${describeType(f.type)}`);
        }
        return schema;
      },
      transform(table: Table) {
        const cols = p.cols ?? table.schema.fields.map((f) => f.name);
        cols.forEach((c, i) => requireField(table.schema, c, at(p.cols ? `cols[${i}]` : "cols")));
        const kept = survivingRows(table, cols, p, at);
        return kept ? takeRows(table, kept) : table;
      },
      save: () => saveParams(dropDuplicates, p, info),
    };
  },
  loaders: { [CLASS]: (s): Transformer => loadFromParams(dropDuplicates, s) },
  example: () => ({
    params: { cols: ["user", "item"], keep: "last", orderBy: "ts" },
    train: new Table({
      user: vectorFromArray(["a", "a", "b", "a"]),
      item: makeVector(new Int32Array([1, 1, 1, 1])),
      ts: makeVector(new Float64Array([5, 3, 1, 5])),
    }),
  }),
});
