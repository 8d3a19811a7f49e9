import { DataType, type Vector } from "apache-arrow";
import { stringCodes } from "../core/string-codes.js";

/** Distinct values of one id column (null counts as one more value), and its codes shifted so null is 0. */
export interface IdCodes {
  /** codes[r] in 0..size-1: 0 for null, 1 + the value's label index otherwise. */
  codes: Int32Array;
  size: number;
  distinct: number;
}

/** One column's codes over its distinct string values (Spark's cast to string), as stringCodes reads them. */
export function idCodes(v: Vector, name: string, where: string): IdCodes {
  const direct = integerIdCodes(v);
  if (direct) return direct;
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
 * An integer column without nulls whose values span a compact range (user and item ids, almost always): the value
 * minus the smallest plus one is already a code (distinct integers are distinct strings), so the funnel needs
 * neither stringCodes' first-seen numbering nor its labels: one pass for the range, one for codes and the count.
 * Counts and distinct pairs do not depend on how the codes are numbered. Undefined for any other column.
 */
function integerIdCodes(v: Vector): IdCodes | undefined {
  const t = v.type;
  if (v.length === 0 || !DataType.isInt(t) || (t as { bitWidth: number }).bitWidth > 32 || v.nullCount > 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const d of v.data) {
    // A sliced chunk's values start at its first row.
    const vals = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) {
      const x = vals[i];
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  const range = max - min + 1;
  if (!(range <= Math.max(1 << 16, 2 * v.length))) return undefined;
  const codes = new Int32Array(v.length);
  const size = range + 1;
  const seen = new Uint8Array(size);
  let distinct = 0;
  let o = 0;
  for (const d of v.data) {
    const vals = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) {
      const c = vals[i] - min + 1;
      codes[o++] = c;
      if (seen[c] === 0) {
        seen[c] = 1;
        distinct++;
      }
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
