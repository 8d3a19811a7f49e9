import { DataType, type Vector } from "apache-arrow";
import { InputError } from "./errors.js";
import { javaDoubleToString, javaFloatToString } from "./spark-cast.js";
import { integerRange } from "./integer-values.js";
import { describeType, isValid } from "./table.js";

/**
 * A column as integer codes over its distinct string values (Spark's cast to string), read as typed arrays:
 * `codes[row]` is -1 for null (and for NaN, which Spark turns into null before indexing), else an index into
 * `labels`, whose entries are distinct. Dictionary-encoded columns reuse their dictionary indices, so 25M rows
 * cost one pass over Int32 indices and one string per dictionary entry.
 */
export interface StringCodes {
  codes: Int32Array;
  labels: string[];
}

export function stringCodes(v: Vector, name: string, where: string): StringCodes {
  const t = v.type;
  const codes = new Int32Array(v.length);
  const labels: string[] = [];
  if (DataType.isDictionary(t)) return dictionaryCodes(v, codes, labels);
  if (DataType.isUtf8(t)) return utf8Codes(v, codes, labels);
  if (DataType.isInt(t) || DataType.isFloat(t) || DataType.isBool(t)) return primitiveCodes(v, codes, labels);
  if (DataType.isLargeUtf8(t) || DataType.isDecimal(t)) return genericCodes(v, codes, labels);
  throw new InputError("E_COLUMN", `${where}: column "${name}" must be a string or numeric column; found ${describeType(t)}`);
}

function dictionaryCodes(v: Vector, codes: Int32Array, labels: string[]): StringCodes {
  const byLabel = new Map<string, number>();
  let lastDict: Vector | undefined;
  let remap = new Int32Array(0);
  let o = 0;
  for (const d of v.data) {
    const dict = d.dictionary as Vector;
    if (dict !== lastDict) {
      // Chunks usually share one dictionary object; a new one (or a delta) is remapped by string.
      remap = new Int32Array(dict.length);
      const strings = dict.toArray() as (string | null)[];
      for (let j = 0; j < strings.length; j++) {
        const s = strings[j];
        if (s === null || s === undefined) {
          remap[j] = -1;
          continue;
        }
        let c = byLabel.get(s);
        if (c === undefined) {
          c = labels.length;
          labels.push(s);
          byLabel.set(s, c);
        }
        remap[j] = c;
      }
      lastDict = dict;
    }
    const idx = d.values as Int32Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++) {
      codes[o++] = bitmap && !isValid(bitmap, d.offset + i) ? -1 : remap[idx[i]];
    }
  }
  return { codes, labels };
}

function utf8Codes(v: Vector, codes: Int32Array, labels: string[]): StringCodes {
  const byLabel = new Map<string, number>();
  let o = 0;
  for (const d of v.data) {
    const offs = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++) {
      const r = d.offset + i;
      if (bitmap && !isValid(bitmap, r)) {
        codes[o++] = -1;
        continue;
      }
      const s = buf.toString("utf8", offs[i], offs[i + 1]);
      let c = byLabel.get(s);
      if (c === undefined) {
        c = labels.length;
        labels.push(s);
        byLabel.set(s, c);
      }
      codes[o++] = c;
    }
  }
  return { codes, labels };
}

function primitiveCodes(v: Vector, codes: Int32Array, labels: string[]): StringCodes {
  const t = v.type;
  if (DataType.isInt(t) && (t as { bitWidth: number }).bitWidth <= 32) {
    const dense = denseIntCodes(v, codes, labels);
    if (dense) return dense;
  }
  const toLabel: (x: number | bigint | boolean) => string = DataType.isFloat(t)
    ? (t as { precision: number }).precision === 1
      ? (x) => javaFloatToString(x as number)
      : (x) => javaDoubleToString(x as number)
    : (x) => String(x);
  const isFloat = DataType.isFloat(t);
  // Map keys use SameValueZero, which merges -0 and 0; Spark's cast keeps "-0.0" apart, so -0 gets its own code.
  const byValue = new Map<number | bigint | boolean, number>();
  let negZeroCode = -1;
  let o = 0;
  for (const d of v.data) {
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    const isBool = DataType.isBool(t);
    const vals = d.values as ArrayLike<number | bigint>;
    const half = isFloat && (t as { precision: number }).precision === 0;
    for (let i = 0; i < d.length; i++) {
      const r = d.offset + i;
      if (bitmap && !isValid(bitmap, r)) {
        codes[o++] = -1;
        continue;
      }
      let x: number | bigint | boolean;
      // Booleans are bits addressed from d.offset; other values of a sliced chunk start at its first row.
      if (isBool) x = ((d.values as Uint8Array)[r >> 3] & (1 << (r & 7))) !== 0;
      else if (half) x = v.get(o) as number;
      else x = vals[i];
      if (isFloat && Number.isNaN(x)) {
        codes[o++] = -1;
        continue;
      }
      if (isFloat && Object.is(x, -0)) {
        if (negZeroCode < 0) {
          negZeroCode = labels.length;
          labels.push("-0.0");
        }
        codes[o++] = negZeroCode;
        continue;
      }
      let c = byValue.get(x);
      if (c === undefined) {
        c = labels.length;
        labels.push(toLabel(x));
        byValue.set(x, c);
      }
      codes[o++] = c;
    }
  }
  return { codes, labels };
}

/**
 * Integer columns whose values span a compact range (user and item ids, almost always): codes through an Int32Array
 * indexed by value instead of a Map, about 20x faster on 25M rows. Codes are numbered by first appearance, exactly as
 * the Map path numbers them, so both give the same result. Undefined when the range is too wide for a table.
 */
function denseIntCodes(v: Vector, codes: Int32Array, labels: string[]): StringCodes | undefined {
  const r = integerRange(v);
  if (!r) return undefined;
  if (r.size === 0) {
    codes.fill(-1);
    return { codes, labels };
  }
  const { min, size: range } = r;
  const table = new Int32Array(range).fill(-1);
  let o = 0;
  for (const d of v.data) {
    const vals = d.values as Int32Array;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++) {
      if (bitmap && !isValid(bitmap, d.offset + i)) {
        codes[o++] = -1;
        continue;
      }
      const x = vals[i];
      let c = table[x - min];
      if (c < 0) {
        c = table[x - min] = labels.length;
        labels.push(String(x));
      }
      codes[o++] = c;
    }
  }
  return { codes, labels };
}

function genericCodes(v: Vector, codes: Int32Array, labels: string[]): StringCodes {
  const byLabel = new Map<string, number>();
  for (let i = 0; i < v.length; i++) {
    const x = v.get(i);
    if (x === null || x === undefined) {
      codes[i] = -1;
      continue;
    }
    const s = String(x);
    let c = byLabel.get(s);
    if (c === undefined) {
      c = labels.length;
      labels.push(s);
      byLabel.set(s, c);
    }
    codes[i] = c;
  }
  return { codes, labels };
}

/**
 * Group ids for a key column (e.g. the user column of a per-user split), numbered by label order so the result
 * does not depend on how the column is encoded (plain or dictionary strings give the same groups in the same
 * order). Null keys form one extra group, the last.
 */
export function groupCodes(v: Vector, name: string, where: string): { codes: Int32Array; numGroups: number } {
  const { codes, labels } = stringCodes(v, name, where);
  const order = labels.map((_, i) => i).sort((a, b) => (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : 0));
  const renumber = new Int32Array(labels.length);
  order.forEach((c, rank) => (renumber[c] = rank));
  const nullGroup = labels.length;
  let hasNull = false;
  for (let r = 0; r < codes.length; r++) {
    const c = codes[r];
    if (c < 0) {
      codes[r] = nullGroup;
      hasNull = true;
    } else codes[r] = renumber[c];
  }
  return { codes, numGroups: labels.length + (hasNull ? 1 : 0) };
}
