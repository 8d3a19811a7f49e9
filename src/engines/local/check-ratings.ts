import { DataType, type Table } from "apache-arrow";
import { InputError } from "../../core/errors.js";
import { FIRST_MISSING_KEY, float64Column } from "../../core/table.js";
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
    const v = float64Column(data, col, `${s.name}.ratingCol`);
    let bad = -1;
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        bad = i;
        break;
      }
    }
    if (bad < 0) continue;
    const where = field.metadata.get(FIRST_MISSING_KEY) ?? `row ${bad} of ${source} (${Number.isNaN(v[bad]) ? "null or NaN" : v[bad]})`;
    throw new InputError(
      "E_DATA",
      `${s.name}.ratingCol: column "${col}" must hold a finite number in every row (Spark: "Ratings MUST NOT be Null or NaN"); the first without one is ${where}`,
    );
  }
}
