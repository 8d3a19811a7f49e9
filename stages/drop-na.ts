import { makeVector, Table, vectorFromArray, type Vector } from "apache-arrow";
import { z } from "zod";
import { defineStage, loadFromParams, saveParams } from "../src/core/define-stage.js";
import type { Transformer } from "../src/core/stage.js";
import { filterRows, isValid, requireField } from "../src/core/table.js";
import { DataType } from "apache-arrow";

const CLASS = "recpipe.feature.DropNa";
const TYPE = "drop-na";

const params = z.object({
  cols: z.array(z.string().min(1)).min(1).optional().describe("columns to look at (Spark's subset); default: every column"),
  how: z.enum(["any", "all"]).default("any").describe("any: drop a row with a null or NaN in any of cols; all: only when every one of cols is null or NaN"),
  thresh: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("keep rows with at least this many non-null, non-NaN values among cols; overrides how (Spark's na.drop(thresh))"),
});

/** Per row, how many of `cols` hold a value (not null, not NaN: Spark's na.drop counts NaN as missing). */
export function presentCounts(table: Table, cols: readonly string[], where: string): Uint8Array | Int32Array {
  const counts = cols.length < 256 ? new Uint8Array(table.numRows) : new Int32Array(table.numRows);
  for (const col of cols) {
    requireField(table.schema, col, where);
    const v = table.getChild(col) as Vector;
    let o = 0;
    for (const d of v.data) {
      const float = DataType.isFloat(d.type) && d.type.precision !== 0;
      const vals = d.values as Float64Array;
      const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
      for (let i = 0; i < d.length; i++, o++) {
        if (bitmap && !isValid(bitmap, d.offset + i)) continue;
        if (float && Number.isNaN(vals[i])) continue;
        counts[o]++;
      }
    }
  }
  return counts;
}

/** Rows with at least `need` present values; the counts die with the call, before the kept rows are copied. */
function keptMask(counts: ArrayLike<number>, need: number): Uint8Array {
  const keep = new Uint8Array(counts.length);
  for (let r = 0; r < keep.length; r++) keep[r] = counts[r] >= need ? 1 : 0;
  return keep;
}

export const dropNa = defineStage({
  type: TYPE,
  role: "transformer",
  doc:
    "Drops rows with missing values (Spark's df.na.drop(how, thresh, subset); pandas' dropna): null, and NaN in a " +
    "numeric column, count as missing. A prepare step: it has no Spark ML class and is not part of the fitted model.",
  sparkClass: CLASS,
  uidPrefix: "dropNa",
  prepareOnly: true,
  params,
  create(p, info): Transformer {
    const where = (i: number) => `${info.name}.cols[${i}]`;
    const columnsOf = (names: string[]) => p.cols ?? names;
    return {
      role: "transformer",
      type: TYPE,
      ...info,
      params: p,
      transformSchema(schema) {
        (p.cols ?? []).forEach((c, i) => requireField(schema, c, where(i)));
        return schema;
      },
      transform(table: Table) {
        const cols = columnsOf(table.schema.fields.map((f) => f.name));
        cols.forEach((c, i) => requireField(table.schema, c, p.cols ? where(i) : `${info.name}.cols`));
        // Spark: thresh wins; how=any is thresh = number of cols, how=all is thresh = 1.
        return filterRows(table, keptMask(presentCounts(table, cols, `${info.name}.cols`), p.thresh ?? (p.how === "any" ? cols.length : 1)));
      },
      save: () => saveParams(dropNa, p, info),
    };
  },
  loaders: { [CLASS]: (s): Transformer => loadFromParams(dropNa, s) },
  example: () => ({
    params: { cols: ["rating"] },
    train: new Table({
      user: makeVector(new Int32Array([1, 2, 3, 4])),
      rating: vectorFromArray([4, null, NaN, 2]),
    }),
  }),
});
