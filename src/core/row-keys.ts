import type { Table, Vector } from "apache-arrow";
import { stringCodes } from "./string-codes.js";
import { requireField } from "./table.js";

/**
 * Each row's key over several columns as a dense integer: rows with equal values in every column (Spark's equality on
 * their cast to string, nulls equal to nulls, as dropDuplicates and groupBy treat them) get the same key, numbered by
 * first appearance. Columnar: one Int32Array of codes per column (core/string-codes.ts), combined pairwise through an
 * open-addressing hash table on typed arrays, so 10M rows cost a few passes over Int32 arrays and no JavaScript
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
  // A product that fits a lookup table of at most 2 entries a row (8 bytes) is direct; otherwise a hash table of
  // 12 bytes a slot at a load factor of at most 0.8 (about 15 bytes a row, transient).
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
  let size = 1;
  while (size < n + (n >> 2) + 1) size <<= 1;
  const mask = size - 1;
  const slotA = new Int32Array(size);
  const slotB = new Int32Array(size);
  const slotKey = new Int32Array(size).fill(-1);
  let next = 0;
  for (let r = 0; r < n; r++) {
    const x = a.keys[r];
    const y = b.keys[r];
    let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const k = slotKey[h];
      if (k < 0) {
        slotA[h] = x;
        slotB[h] = y;
        slotKey[h] = next;
        out[r] = next++;
        break;
      }
      if (slotA[h] === x && slotB[h] === y) {
        out[r] = k;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return { keys: out, numKeys: next };
}

/** Distinct values of a column (null counts as one value when present), as Spark's countDistinct would count plus null. */
export function distinctCount(table: Table, col: string, where: string): number {
  return rowKeys(table, [col], where).numKeys;
}
