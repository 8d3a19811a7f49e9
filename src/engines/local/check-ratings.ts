import { DataType, type Table, type Vector } from "apache-arrow";
import { InputError } from "../../core/errors.js";
import { FIRST_MISSING_KEY, float64Column, isValid } from "../../core/table.js";
import type { StageSpec } from "../../spec/spec.js";

/**
 * Every rating column a pipeline stage reads straight from the source (`ratingCol` of als and the baselines) must hold
 * a finite number in every row, as Spark's ALS insists ("Ratings MUST NOT be Null or NaN"). Checked once on the data as
 * read, before the split, so the message can name the file's line: a stage only ever sees a row of a split.
 */
export function checkRatingsFinite(stages: readonly StageSpec[], data: Table, source: string): void {
  const checked = new Set<string>();
  for (const s of stages) {
    const col = s.params.ratingCol;
    if (typeof col !== "string" || col === "" || checked.has(col)) continue;
    const field = data.schema.fields.find((f) => f.name === col);
    if (!field || !(DataType.isInt(field.type) || DataType.isFloat(field.type))) continue; // made later, or reported as not numeric
    checked.add(col);
    const bad = firstNonFinite(data.getChild(col) as Vector);
    if (bad < 0) continue;
    const v = float64Column(data.slice(bad, bad + 1), col, `${s.name}.ratingCol`);
    const where = field.metadata.get(FIRST_MISSING_KEY) ?? `row ${bad} of ${source} (${Number.isNaN(v[0]) ? "null or NaN" : v[0]})`;
    throw new InputError(
      "E_DATA",
      `${s.name}.ratingCol: column "${col}" must hold a finite number in every row (Spark: "Ratings MUST NOT be Null or NaN"); the first without one is ${where}`,
    );
  }
}

/**
 * The first row that is null or not a finite number, or -1: read off the column's own chunks, never copied (a Float64
 * copy of the column would cost 8 bytes a rating at the read's peak, for a check).
 */
function firstNonFinite(v: Vector): number {
  let o = 0;
  for (const d of v.data) {
    const nulls = d.nullCount > 0 ? d.nullBitmap : undefined;
    // Integers are finite; only their nulls count (bigint values too).
    const vals = DataType.isFloat(d.type) ? (d.values as Float32Array | Float64Array) : undefined;
    if (!nulls && !vals) {
      o += d.length;
      continue;
    }
    for (let i = 0; i < d.length; i++) {
      if ((nulls && !isValid(nulls, d.offset + i)) || (vals && !Number.isFinite(vals[i]))) return o + i;
    }
    o += d.length;
  }
  return -1;
}
