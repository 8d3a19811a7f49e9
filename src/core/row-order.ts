import { DataType, type Table, type Vector } from "apache-arrow";
import { rankFloat64, stableSortByKey } from "../kernels/stable-order.js";
import { stringCodes } from "./string-codes.js";
import { isValid } from "./table.js";

/**
 * Row indices sorted stably by every orderable column ascending, with Spark's ordering: nulls first, NaN above
 * every number, strings by UTF-8 bytes (code points), false before true. This is the local sort Spark's
 * Dataset.randomSplit applies before sampling. Columns of other types (lists, structs, dates) are not used.
 */
export function sparkRowOrder(table: Table): Int32Array {
  const n = table.numRows;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let scratch = new Int32Array(n);
  const fields = table.schema.fields;
  for (let c = fields.length - 1; c >= 0; c--) {
    const ranked = columnRanks(table.getChild(fields[c].name) as Vector);
    if (!ranked) continue;
    stableSortByKey(order, ranked.ranks, ranked.numRanks, scratch);
    [order, scratch] = [scratch, order];
  }
  return order;
}

/** Dense ascending ranks of one column (0 = null), or undefined when its type is not ordered here. */
export function columnRanks(v: Vector): { ranks: Int32Array; numRanks: number } | undefined {
  const t = v.type;
  if (DataType.isInt(t) || DataType.isFloat(t)) {
    const values = new Float64Array(v.length);
    const valid = v.nullCount > 0 ? new Uint8Array(v.length) : undefined;
    let o = 0;
    for (const d of v.data) {
      const vals = d.values as ArrayLike<number | bigint>;
      const half = DataType.isFloat(t) && (t as { precision: number }).precision === 0;
      for (let i = 0; i < d.length; i++, o++) {
        const x = half ? (v.get(o) as number) : vals[d.offset + i];
        values[o] = typeof x === "bigint" ? Number(x) : (x as number);
        if (valid) valid[o] = d.nullCount === 0 || isValid(d.nullBitmap, d.offset + i) ? 1 : 0;
      }
    }
    return rankFloat64(values, valid);
  }
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t) || (DataType.isDictionary(t) && (DataType.isUtf8(t.dictionary) || DataType.isLargeUtf8(t.dictionary)))) {
    const { codes, labels } = stringCodes(v, "", "");
    const byCodePoint = labels.map((_, i) => i).sort((a, b) => compareCodePoints(labels[a], labels[b]));
    const labelRank = new Int32Array(labels.length);
    byCodePoint.forEach((c, r) => (labelRank[c] = r + 1));
    const ranks = new Int32Array(codes.length);
    for (let i = 0; i < codes.length; i++) ranks[i] = codes[i] < 0 ? 0 : labelRank[codes[i]];
    return { ranks, numRanks: labels.length + 1 };
  }
  if (DataType.isBool(t)) {
    const ranks = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v.get(i) as boolean | null;
      ranks[i] = x === null ? 0 : x ? 2 : 1;
    }
    return { ranks, numRanks: 3 };
  }
  return undefined;
}

/** Code-point (= UTF-8 byte) order; JS `<` compares UTF-16 units, which differs for astral vs U+E000..U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates (astral code points) above U+E000..U+FFFF, keeping everything else in order.
    x = x >= 0xe000 ? x - 0x800 : x >= 0xd800 ? x + 0x2000 : x;
    y = y >= 0xe000 ? y - 0x800 : y >= 0xd800 ? y + 0x2000 : y;
    return x - y;
  }
  return a.length - b.length;
}
