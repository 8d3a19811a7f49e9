import type { Table, Vector } from "apache-arrow";
import { stringCodes } from "./string-codes.js";
import { requireField } from "./table.js";

/**
 * Each row's key over several columns as a dense integer: rows with equal values in every column (Spark's equality on
 * their cast to string, nulls equal to nulls, as dropDuplicates and groupBy treat them) get the same key, numbered by
 * first appearance. Columnar: one Int32Array of codes per column (core/string-codes.ts), combined pairwise by grouping
 * rows on typed arrays (no hash table), so 10M rows cost a few passes over Int32 arrays and no JavaScript
 * object per row.
 */
export interface RowKeys {
  /** keys[row] in [0, numKeys). */
  keys: Int32Array;
  numKeys: number;
}

export function rowKeys(table: Table, cols: readonly string[], where: string): RowKeys {
  let acc: RowKeys | undefined;
  for (const col of cols) {
    requireField(table.schema, col, where);
    const next = columnKeys(table.getChild(col) as Vector, col, where);
    acc = acc ? combineKeys(acc, next) : next;
  }
  // No columns: every row has the same (empty) key.
  return acc ?? { keys: new Int32Array(table.numRows), numKeys: table.numRows > 0 ? 1 : 0 };
}

/** One column's codes with null (code -1) as one more value, renumbered by first appearance. */
function columnKeys(v: Vector, name: string, where: string): RowKeys {
  const { codes, labels } = stringCodes(v, name, where);
  const remap = new Int32Array(labels.length + 1).fill(-1);
  let n = 0;
  for (let r = 0; r < codes.length; r++) {
    const c = codes[r] + 1;
    let k = remap[c];
    if (k < 0) k = remap[c] = n++;
    codes[r] = k;
  }
  return { keys: codes, numKeys: n };
}

/** The pair (a.keys[r], b.keys[r]) as one dense key, numbered by first appearance. */
export function combineKeys(a: RowKeys, b: RowKeys): RowKeys {
  const n = a.keys.length;
  const out = new Int32Array(n);
  // A product that fits a lookup table of at most 2 entries a row (8 bytes) is direct; otherwise rows are grouped.
  if (a.numKeys * b.numKeys <= Math.max(1 << 16, 2 * n)) {
    const table = new Int32Array(a.numKeys * b.numKeys).fill(-1);
    let next = 0;
    for (let r = 0; r < n; r++) {
      const slot = a.keys[r] * b.numKeys + b.keys[r];
      let k = table[slot];
      if (k < 0) k = table[slot] = next++;
      out[r] = k;
    }
    return { keys: out, numKeys: next };
  }
  return groupedPairKeys(a, b, out);
}

/**
 * Pair keys without a hash table: rows are grouped by a's key (a stable counting sort), each group numbers its
 * distinct b values through one stamp array over b's keys, and the provisional keys are renumbered by first
 * appearance. About 12 bytes a row transient and cache-resident stamps: 1.3-2x faster than open addressing on
 * 25M MovieLens-shaped pairs, with the same keys.
 */
function groupedPairKeys(a: RowKeys, b: RowKeys, out: Int32Array): RowKeys {
  const n = a.keys.length;
  const end = new Int32Array(a.numKeys + 1);
  for (let r = 0; r < n; r++) end[a.keys[r] + 1]++;
  for (let k = 0; k < a.numKeys; k++) end[k + 1] += end[k];
  const order = new Int32Array(n);
  // After the scatter, end[k] is where group k ends (it started at end[k - 1]).
  for (let r = 0; r < n; r++) order[end[a.keys[r]]++] = r;
  const stamp = new Int32Array(b.numKeys).fill(-1);
  const slot = new Int32Array(b.numKeys);
  let provisional = 0;
  for (let k = 0, j = 0; k < a.numKeys; k++) {
    for (const stop = end[k]; j < stop; j++) {
      const row = order[j];
      const c = b.keys[row];
      if (stamp[c] !== k) {
        stamp[c] = k;
        slot[c] = provisional++;
      }
      out[row] = slot[c];
    }
  }
  const renumber = new Int32Array(provisional).fill(-1);
  let next = 0;
  for (let r = 0; r < n; r++) {
    const p = out[r];
    let q = renumber[p];
    if (q < 0) q = renumber[p] = next++;
    out[r] = q;
  }
  return { keys: out, numKeys: next };
}

/** Distinct values of a column (null counts as one value when present), as Spark's countDistinct would count plus null. */
export function distinctCount(table: Table, col: string, where: string): number {
  return rowKeys(table, [col], where).numKeys;
}
