import type { Vector } from "apache-arrow";
import { integerRange, type IntegerRange } from "../core/integer-values.js";
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
  const range = nullFreeRange(v);
  if (!range) return undefined;
  const codes = new Int32Array(v.length);
  const size = range.size + 1;
  const seen = new Uint8Array(size);
  let distinct = 0;
  let o = 0;
  for (const d of v.data) {
    const vals = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) {
      const c = vals[i] - range.min + 1;
      codes[o++] = c;
      if (seen[c] === 0) {
        seen[c] = 1;
        distinct++;
      }
    }
  }
  return { codes, size, distinct };
}

/** integerRange for a column without nulls (the funnel's null is a value of its own, which a range cannot index). */
function nullFreeRange(v: Vector): IntegerRange | undefined {
  return v.nullCount > 0 ? undefined : integerRange(v);
}

/**
 * The funnel's three counts for integer user and item columns read by value (integerIdCodes' case for both, chunked
 * alike, as the readers make them), without either column's codes: the values minus the smallest index the counts
 * directly. Four passes and one Int32 a row transient; undefined for any other pair of columns.
 */
export function integerPairCounts(users: Vector, items: Vector): { users: number; items: number; pairs: number } | undefined {
  if (users.data.length !== items.data.length || users.data.some((d, k) => d.length !== items.data[k].length)) return undefined;
  const u = nullFreeRange(users);
  const i = nullFreeRange(items);
  if (!u || !i) return undefined;
  const start = new Int32Array(u.size + 1);
  const seenItem = new Uint8Array(i.size);
  let distinctItems = 0;
  for (let k = 0; k < users.data.length; k++) {
    const uv = users.data[k].values as Int32Array;
    const iv = items.data[k].values as Int32Array;
    for (let r = 0, n = users.data[k].length; r < n; r++) {
      start[uv[r] - u.min + 1]++;
      const c = iv[r] - i.min;
      if (seenItem[c] === 0) {
        seenItem[c] = 1;
        distinctItems++;
      }
    }
  }
  let distinctUsers = 0;
  for (let k = 0; k < u.size; k++) {
    if (start[k + 1] !== 0) distinctUsers++;
    start[k + 1] += start[k];
  }
  const cursor = start.slice(0, u.size);
  const grouped = new Int32Array(users.length);
  for (let k = 0; k < users.data.length; k++) {
    const uv = users.data[k].values as Int32Array;
    const iv = items.data[k].values as Int32Array;
    for (let r = 0, n = users.data[k].length; r < n; r++) grouped[cursor[uv[r] - u.min]++] = iv[r] - i.min;
  }
  return { users: distinctUsers, items: distinctItems, pairs: countGroupedPairs(start, grouped, i.size) };
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
  return countGroupedPairs(start, grouped, b.size);
}

/** Distinct values within each group of `grouped` (group k is [start[k], start[k + 1])), through one stamp array. */
function countGroupedPairs(start: Int32Array, grouped: Int32Array, size: number): number {
  const stamp = new Int32Array(size).fill(-1);
  let pairs = 0;
  for (let k = 0; k + 1 < start.length; k++) {
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
