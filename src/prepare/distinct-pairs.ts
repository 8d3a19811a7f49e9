import type { Vector } from "apache-arrow";
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
