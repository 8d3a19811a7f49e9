import { DataType, type Vector } from "apache-arrow";
import { stringCodes } from "../core/string-codes.js";
import { isValid } from "../core/table.js";

/**
 * Id ranges up to this many slots per row (or 64k) are counted with a bitmap; wider ones, and every other type, go
 * through stringCodes, whose distinct labels are the count by definition.
 */
const SLOTS_PER_ROW = 2;

/**
 * How many distinct non-null values a column holds, as `stringCodes(v).labels.length` counts them. The report asks
 * this of the whole data's user and item columns: for integer ids a bitmap over their range counts them in two
 * passes, without numbering the rows or making a label string per id (0.2 s at 10M ratings, ~0.5 s at 25M).
 */
export function distinctCount(v: Vector, name: string, where: string): number {
  const t = v.type;
  if (!(DataType.isInt(t) && (t as { bitWidth: number }).bitWidth <= 32)) return stringCodes(v, name, where).labels.length;
  let min = Infinity;
  let max = -Infinity;
  for (const d of v.data) {
    // A sliced chunk's values start at its first row; only its null bitmap is addressed from d.offset.
    const vals = d.values as Int32Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++) {
      if (bitmap && !isValid(bitmap, d.offset + i)) continue;
      const x = vals[i];
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (min > max) return 0;
  const range = max - min + 1;
  if (range > Math.max(1 << 16, SLOTS_PER_ROW * v.length)) return stringCodes(v, name, where).labels.length;
  const seen = new Uint8Array(range);
  let count = 0;
  for (const d of v.data) {
    const vals = d.values as Int32Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++) {
      if (bitmap && !isValid(bitmap, d.offset + i)) continue;
      const s = vals[i] - min;
      if (seen[s] === 0) {
        seen[s] = 1;
        count++;
      }
    }
  }
  return count;
}
