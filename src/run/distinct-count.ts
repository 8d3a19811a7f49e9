import type { Vector } from "apache-arrow";
import { integerRange } from "../core/integer-values.js";
import { stringCodes } from "../core/string-codes.js";
import { isValid } from "../core/table.js";

/**
 * How many distinct non-null values a column holds, as `stringCodes(v).labels.length` counts them. The report asks
 * this of the whole data's user and item columns: for integer ids in a compact range a bitmap over it counts them in
 * two passes, without numbering the rows or making a label string per id (0.2 s at 10M ratings, ~0.5 s at 25M).
 * Wider ranges, and every other type, go through stringCodes, whose distinct labels are the count by definition.
 */
export function distinctCount(v: Vector, name: string, where: string): number {
  const range = integerRange(v);
  if (!range) return stringCodes(v, name, where).labels.length;
  const seen = new Uint8Array(range.size);
  let count = 0;
  for (const d of v.data) {
    // A sliced chunk's values start at its first row; only its null bitmap is addressed from d.offset.
    const vals = d.values as Int32Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++) {
      if (bitmap && !isValid(bitmap, d.offset + i)) continue;
      const s = vals[i] - range.min;
      if (seen[s] === 0) {
        seen[s] = 1;
        count++;
      }
    }
  }
  return count;
}
