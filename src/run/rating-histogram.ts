import { DataType, Precision, type Table } from "apache-arrow";
import { float64Column, isNumericType, isValid } from "../core/table.js";

export interface HistogramBin {
  value: number;
  count: number;
  start?: number;
  end?: number;
}

/** More distinct values than this and the histogram has 20 equal-width bins instead of one bar per value. */
const MAX_DISTINCT = 20;

/**
 * The report's rating histogram: one bar per distinct value (ascending) when a column has at most 20 (star ratings),
 * else 20 equal-width bins. Reads the column's chunks in place: on 25M rows a copy and a Map per value cost seconds,
 * a scan over at most 20 distinct values well under one.
 */
export function ratingHistogram(t: Table, col: string): HistogramBin[] | undefined {
  const v = t.getChild(col);
  if (!v || !isNumericType(v.type)) return undefined;
  const distinct: number[] = [];
  const counts: number[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  let last = 0; // index of the value the previous row had: neighbouring rows often repeat it
  eachValue(t, col, (x) => {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
    if (distinct.length > MAX_DISTINCT) return;
    if (distinct[last] === x) {
      counts[last]++;
      return;
    }
    // === treats -0 and 0 as one value, as a Map key would.
    const at = distinct.indexOf(x);
    if (at >= 0) counts[(last = at)]++;
    else {
      last = distinct.push(x) - 1;
      counts.push(1);
    }
  });
  if (distinct.length <= MAX_DISTINCT) {
    return distinct.map((value, i) => ({ value, count: counts[i] })).sort((a, b) => a.value - b.value);
  }
  const bins = MAX_DISTINCT;
  const width = (hi - lo) / bins || 1;
  const c = new Array<number>(bins).fill(0);
  eachValue(t, col, (x) => c[Math.min(bins - 1, Math.floor((x - lo) / width))]++);
  return c.map((count, b) => ({ value: Number((lo + (b + 0.5) * width).toPrecision(4)), count, start: lo + b * width, end: lo + (b + 1) * width }));
}

/** Calls `f` with every non-null, non-NaN value of a numeric column, in row order. */
function eachValue(t: Table, col: string, f: (x: number) => void): void {
  const v = t.getChild(col)!;
  // Half floats and decimals are stored as raw words: those (rare) columns go through the converting copy.
  if (!DataType.isInt(v.type) && !(DataType.isFloat(v.type) && v.type.precision !== Precision.HALF)) {
    for (const x of float64Column(t, col)) if (x === x) f(x);
    return;
  }
  for (const d of v.data) {
    // A sliced chunk's values start at its first row; only its null bitmap is addressed from d.offset.
    const vals = d.values as ArrayLike<number | bigint>;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    const big = d.length > 0 && typeof vals[0] === "bigint";
    for (let i = 0; i < d.length; i++) {
      if (bitmap && !isValid(bitmap, d.offset + i)) continue;
      const x = big ? Number(vals[i]) : (vals[i] as number);
      if (x === x) f(x);
    }
  }
}
