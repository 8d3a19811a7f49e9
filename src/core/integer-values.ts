import { DataType, type Vector } from "apache-arrow";
import { isValid } from "./table.js";

/**
 * Integer columns read by value: ids in a compact range (user and item ids, almost always) index a table directly,
 * so a per-row step (a count, a lookup) needs neither a Map nor a first-seen code per row. Distinct integers cast to
 * distinct strings (Spark's cast: `String(x)`), so a table over values is a table over their labels.
 */
export interface IntegerRange {
  min: number;
  /** max - min + 1. */
  size: number;
}

/**
 * Ranges up to twice the row count (or this many slots) are indexed by value; wider ones go through labels. A table
 * then costs at most 8 bytes a row, transient.
 */
const DENSE_RANGE = 1 << 16;

/** The range of an int column of at most 32 bits (nulls ignored), when compact enough to index by; else undefined. */
export function integerRange(v: Vector): IntegerRange | undefined {
  const t = v.type;
  if (!DataType.isInt(t) || (t as { bitWidth: number }).bitWidth > 32) return undefined;
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
  if (min > max) return { min: 0, size: 0 };
  const size = max - min + 1;
  return size <= Math.max(DENSE_RANGE, 2 * v.length) ? { min, size } : undefined;
}

/** Rows of each value (index x - min), nulls left out. */
export function countByValue(v: Vector, range: IntegerRange): Float64Array {
  const counts = new Float64Array(range.size);
  for (const d of v.data) {
    const vals = d.values as Int32Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    if (!bitmap) for (let i = 0; i < d.length; i++) counts[vals[i] - range.min]++;
    else for (let i = 0; i < d.length; i++) if (isValid(bitmap, d.offset + i)) counts[vals[i] - range.min]++;
  }
  return counts;
}

/**
 * `f(value)` for every row (NULL_ROW for a null), f called once per distinct value: a value's result is kept in a
 * table over the range.
 */
export const NULL_ROW = -2;

export function mapByValue(v: Vector, range: IntegerRange, f: (value: number) => number): Float64Array {
  const memo = new Float64Array(range.size).fill(NaN);
  const out = new Float64Array(v.length);
  let o = 0;
  for (const d of v.data) {
    const vals = d.values as Int32Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    if (!bitmap) {
      const min = range.min;
      for (let i = 0; i < d.length; i++) {
        const k = vals[i] - min;
        let y = memo[k];
        if (y !== y) y = memo[k] = f(vals[i]);
        out[o + i] = y;
      }
      o += d.length;
      continue;
    }
    for (let i = 0; i < d.length; i++) {
      if (!isValid(bitmap, d.offset + i)) {
        out[o++] = NULL_ROW;
        continue;
      }
      const k = vals[i] - range.min;
      let y = memo[k];
      if (y !== y) y = memo[k] = f(vals[i]);
      out[o++] = y;
    }
  }
  return out;
}
