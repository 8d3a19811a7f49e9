import { DataType, type Vector } from "apache-arrow";
import { isValid } from "../core/table.js";
import { stringCodes } from "../core/string-codes.js";

/** Distinct values of one id column (null counts as one more value), and its codes shifted so null is 0. */
export interface IdCodes {
  /** codes[r] in 0..size-1: 0 for null, 1 + the value's label index (or its offset from the minimum) otherwise. */
  codes: Int32Array;
  size: number;
  distinct: number;
}

/** One column's codes over its distinct string values (Spark's cast to string), as stringCodes reads them. */
export function idCodes(v: Vector, name: string, where: string): IdCodes {
  const dense = denseIntCodes(v);
  if (dense) return dense;
  const { codes, labels } = stringCodes(v, name, where);
  const size = labels.length + 1;
  const seen = new Uint8Array(size);
  let distinct = 0;
  for (let r = 0; r < codes.length; r++) {
    const c = codes[r] + 1;
    codes[r] = c;
    if (seen[c] === 0) {
      seen[c] = 1;
      distinct++;
    }
  }
  return { codes, size, distinct };
}

/**
 * Distinct (a, b) pairs of two code columns: a counting sort of b's codes by a's code, then one stamp array over b's
 * values per group. 4 bytes a row transient beside the codes and no hash table: on 300M rows a hash of the pairs
 * would hold 6 GB for a count.
 */
export function distinctPairs(a: IdCodes, b: IdCodes): number {
  const n = a.codes.length;
  const start = new Int32Array(a.size + 1);
  for (let r = 0; r < n; r++) start[a.codes[r] + 1]++;
  for (let k = 0; k < a.size; k++) start[k + 1] += start[k];
  const cursor = start.slice(0, a.size);
  const grouped = new Int32Array(n);
  for (let r = 0; r < n; r++) grouped[cursor[a.codes[r]]++] = b.codes[r];
  const stamp = new Int32Array(b.size).fill(-1);
  let pairs = 0;
  for (let k = 0; k < a.size; k++) {
    for (let j = start[k]; j < start[k + 1]; j++) {
      const c = grouped[j];
      if (stamp[c] !== k) {
        stamp[c] = k;
        pairs++;
      }
    }
  }
  return pairs;
}

/**
 * Integer ids over a range at most twice the rows (MovieLens, KuaiRec, any re-indexed data): the offset from the
 * minimum is the code, two passes and no labels. Distinct integers are distinct strings too, so the counts equal
 * stringCodes'; the funnel runs after every prepare step, where labels for 10M rows cost ten times as much.
 */
function denseIntCodes(v: Vector): IdCodes | undefined {
  const t = v.type;
  if (!DataType.isInt(t) || t.bitWidth > 32 || (t.bitWidth === 32 && !t.isSigned)) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const d of v.data) {
    // A sliced chunk's values start at its first row (src/core/table.ts); null rows hold arbitrary values, which
    // can only widen the range.
    const x = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) {
      const y = x[i];
      if (y < min) min = y;
      if (y > max) max = y;
    }
  }
  const n = v.length;
  if (n === 0 || max - min > Math.max(2 * n, 1 << 16)) return undefined;
  const size = max - min + 2;
  const codes = new Int32Array(n);
  const seen = new Uint8Array(size);
  let distinct = 0;
  let o = 0;
  for (const d of v.data) {
    const x = d.values as Int32Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++, o++) {
      const c = bitmap && !isValid(bitmap, d.offset + i) ? 0 : x[i] - min + 1;
      codes[o] = c;
      if (seen[c] === 0) ((seen[c] = 1), distinct++);
    }
  }
  return { codes, size, distinct };
}
