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
const QUARTERS = 256;

/**
 * The report's rating histogram: one bar per distinct value (ascending) when a column has at most 20 (star ratings),
 * else 20 equal-width bins. Reads the column's chunks in place: on 25M rows a copy and a Map per value cost seconds,
 * a scan over at most 20 distinct values well under one.
 */
export function ratingHistogram(t: Table, col: string): HistogramBin[] | undefined {
  const v = t.getChild(col);
  if (!v || !isNumericType(v.type)) return undefined;
  const chunks = valueChunks(t, col);
  const distinct: number[] = [];
  const counts: number[] = [];
  // Locals, not variables a per-row callback closes over: on 25M rows the closure's context stores cost ~0.5 s.
  let lo = Infinity;
  let hi = -Infinity;
  let last = 0; // index of the value the previous row had: neighbouring rows often repeat it
  const slotOfQuarter = new Int8Array(QUARTERS).fill(-1);
  for (const vals of chunks) {
    for (let i = 0; i < vals.length; i++) {
      const x = vals[i];
      if (x !== x) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      if (distinct.length > MAX_DISTINCT) continue;
      if (distinct[last] === x) {
        counts[last]++;
        continue;
      }
      // Star ratings (multiples of 0.25 below 64) find their slot in a table, not by a scan of up to 20 values.
      const q = x * 4;
      const small = q === (q | 0) && q >= 0 && q < QUARTERS;
      if (small && slotOfQuarter[q] >= 0) {
        counts[(last = slotOfQuarter[q])]++;
        continue;
      }
      // === treats -0 and 0 as one value, as a Map key would (and so does the table: -0 * 4 indexes slot 0).
      const at = distinct.indexOf(x);
      if (small) slotOfQuarter[q] = at >= 0 ? at : distinct.length;
      if (at >= 0) counts[(last = at)]++;
      else {
        last = distinct.push(x) - 1;
        counts.push(1);
      }
    }
  }
  if (distinct.length <= MAX_DISTINCT) {
    return distinct.map((value, i) => ({ value, count: counts[i] })).sort((a, b) => a.value - b.value);
  }
  const bins = MAX_DISTINCT;
  const width = (hi - lo) / bins || 1;
  const c = new Array<number>(bins).fill(0);
  for (const vals of chunks) {
    for (let i = 0; i < vals.length; i++) {
      const x = vals[i];
      if (x === x) c[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
    }
  }
  return c.map((count, b) => ({ value: Number((lo + (b + 0.5) * width).toPrecision(4)), count, start: lo + b * width, end: lo + (b + 1) * width }));
}

type NumberChunk = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * A numeric column's values in row order, chunk by chunk, without its nulls (NaN stays, for the caller to skip): the
 * chunks' own arrays where they hold no null and plain numbers, a Float64Array copy of the valid rows otherwise.
 */
function valueChunks(t: Table, col: string): NumberChunk[] {
  const v = t.getChild(col)!;
  // Half floats and decimals are stored as raw words: those (rare) columns go through the converting copy.
  if (!DataType.isInt(v.type) && !(DataType.isFloat(v.type) && v.type.precision !== Precision.HALF)) {
    return [Float64Array.from(float64Column(t, col))];
  }
  const out: NumberChunk[] = [];
  for (const d of v.data) {
    // A sliced chunk's values start at its first row; only its null bitmap is addressed from d.offset.
    const vals = (d.values as NumberChunk | BigInt64Array | BigUint64Array).subarray(0, d.length);
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    const big = vals instanceof BigInt64Array || vals instanceof BigUint64Array;
    if (!bitmap && !big) {
      out.push(vals);
      continue;
    }
    const kept = new Float64Array(d.length);
    let n = 0;
    for (let i = 0; i < d.length; i++) if (!bitmap || isValid(bitmap, d.offset + i)) kept[n++] = Number(vals[i]);
    out.push(kept.subarray(0, n));
  }
  return out;
}
