import { Bool, DataType, Field, Precision, makeData, makeVector, Schema, Table, Utf8, Vector, vectorFromArray } from "apache-arrow";
import { didYouMean, InputError } from "./errors.js";
import { collectGarbage } from "./collect-garbage.js";

/**
 * Arrow table helpers that read and build columns as typed arrays (columnar all the way): never `table.get(i)` in
 * a loop, which is about 300x slower.
 */

export function isNumericType(t: DataType): boolean {
  return DataType.isInt(t) || DataType.isFloat(t) || DataType.isDecimal(t);
}

export function isStringType(t: DataType): boolean {
  return DataType.isUtf8(t) || DataType.isLargeUtf8(t) || (DataType.isDictionary(t) && (DataType.isUtf8(t.dictionary) || DataType.isLargeUtf8(t.dictionary)));
}

export function describeType(t: DataType): string {
  if (DataType.isDictionary(t)) return `${describeType(t.dictionary)} (dictionary-encoded)`;
  return String(t);
}

/** The field named `name`, or an InputError naming the column, where it was needed and the columns there are. */
export function requireField(schema: Schema, name: string, where: string): Field {
  const f = schema.fields.find((x) => x.name === name);
  if (!f) {
    const names = schema.fields.map((x) => x.name);
    throw new InputError("E_COLUMN", `${where}: column "${name}" not found${didYouMean(name, names)}; columns are: ${names.join(", ")}`);
  }
  return f;
}

export function requireNumeric(schema: Schema, name: string, where: string): Field {
  const f = requireField(schema, name, where);
  if (!isNumericType(f.type)) throw notNumeric(where, name, f);
  return f;
}

/**
 * Field metadata key a reader sets on a column it read as text although it looked numeric: where the first
 * non-numeric value is (`ratings.csv:2 has 'five'`), so "must be numeric" can point at the offending line.
 */
export const TEXT_REASON_KEY = "recpipe.textBecause";

/**
 * Field metadata key a reader sets on a column whose type it inferred as numeric although some values were written
 * with leading zeros (`0012`): the value that lost its zeros, so the pipeline can warn and say how to keep them.
 */
export const LEADING_ZEROS_KEY = "recpipe.leadingZeros";

/**
 * Field metadata key a reader sets on a numeric column holding an empty, NaN or infinite value: where the first one is
 * in the file (`ratings.csv:3 (empty)`), so a check on the data as read can name the line, not a row number.
 */
export const FIRST_MISSING_KEY = "recpipe.firstMissingAt";

function notNumeric(where: string, name: string, f: Field | undefined, type: DataType = f!.type): InputError {
  const reason = f?.metadata.get(TEXT_REASON_KEY);
  return new InputError(
    "E_COLUMN",
    `${where}: column "${name}" must be numeric; found ${describeType(type)}${reason ? ` (read as text because ${reason})` : ""}`,
  );
}

/** Schema with `fields` appended, replacing same-named fields (Spark's withColumn on a schema). */
export function schemaWith(schema: Schema, fields: Field[]): Schema {
  const names = new Set(fields.map((f) => f.name));
  return new Schema([...schema.fields.filter((f) => !names.has(f.name)), ...fields], schema.metadata);
}

function columnOf(table: Table, name: string, where = "table"): Vector {
  const v = table.getChild(name);
  if (!v) requireField(table.schema, name, where);
  return v as Vector;
}

/** A numeric column as Float64 (nulls become NaN), one contiguous array. */
export function float64Column(table: Table, name: string, where = "table"): Float64Array {
  return numericInto(
    columnOf(table, name, where),
    new Float64Array(table.numRows),
    name,
    where,
    table.schema.fields.find((f) => f.name === name),
  );
}

/**
 * A numeric column as Float64 (nulls become NaN) for reading only: a Float64 column in one chunk without nulls (what
 * string-indexer writes, and most rating columns) is returned as its own buffer, not copied. On 20M rows a copy costs
 * 160 MB and a pass; callers must never write into the result.
 */
export function float64Values(table: Table, name: string, where = "table"): Float64Array {
  const v = columnOf(table, name, where);
  if (v.data.length === 1 && v.nullCount === 0 && DataType.isFloat(v.type) && v.type.precision === Precision.DOUBLE) {
    const d = v.data[0];
    return (d.values as Float64Array).subarray(0, d.length);
  }
  return float64Column(table, name, where);
}

function numericInto<A extends Float64Array | Float32Array>(v: Vector, out: A, name: string, where: string, field?: Field): A {
  if (!isNumericType(v.type)) throw notNumeric(where, name, field, v.type);
  let o = 0;
  for (const d of v.data) {
    const vals = d.values as ArrayLike<number | bigint>;
    const big = typeof vals[0] === "bigint";
    // A sliced chunk's values start at its first row; only the null bitmap is addressed from d.offset.
    if (d.nullCount === 0 && !big && ArrayBuffer.isView(vals)) {
      // No nulls, numbers: one typed-array copy converts them (exactly, as the element loop would).
      out.set((vals as Float64Array).subarray(0, d.length), o);
      o += d.length;
      continue;
    }
    const nulls = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++) {
      const valid = !nulls || isValid(nulls, d.offset + i);
      out[o++] = valid ? (big ? Number(vals[i] as bigint) : (vals[i] as number)) : NaN;
    }
  }
  return out;
}

export function isValid(bitmap: Uint8Array | null | undefined, i: number): boolean {
  return !bitmap || bitmap.length === 0 || (bitmap[i >> 3] & (1 << (i & 7))) !== 0;
}

/** Table with columns added or replaced (by name), keeping the other columns in order. */
export function withColumns(table: Table, columns: Record<string, Vector>): Table {
  const out: Record<string, Vector> = {};
  for (const f of table.schema.fields) if (!(f.name in columns)) out[f.name] = table.getChild(f.name) as Vector;
  for (const [k, v] of Object.entries(columns)) out[k] = v;
  // Columns chunked differently (a table read in several record batches, a new column in one piece) would be cut
  // into each other's batches by Arrow, and a cut piece keeps counting `offset` from the original start while its
  // values already start at its first row: the readers here, which index values by `offset + i`, would then read
  // past the piece. Every column becomes one contiguous piece instead.
  if (Object.values(out).some((v) => v.data.length > 1)) for (const k of Object.keys(out)) out[k] = contiguous(out[k]);
  return new Table(out);
}

/** The column as one chunk (itself when it already is). */
function contiguous(v: Vector): Vector {
  return v.data.length <= 1 ? v : concatData(v);
}

/** Rows from which a take is worth a full garbage collection first (a few milliseconds against a copy of 20+ MB). */
const LARGE_TAKE = 1 << 20;

/**
 * Rows `indices` of `table`, in that order. Numeric, boolean, utf8 and dictionary columns are copied as typed
 * arrays; other types fall back to a slower element copy.
 */
export function takeRows(table: Table, indices: Int32Array | Uint32Array): Table {
  // A large take usually follows scratch its caller just dropped (keys, masks, sort orders): collected first, so
  // the output's columns do not pile on top of it at the step's peak.
  if (indices.length >= LARGE_TAKE) collectGarbage();
  const out: Record<string, Vector> = {};
  for (const f of table.schema.fields) out[f.name] = takeVector(table.getChild(f.name) as Vector, indices);
  if (table.schema.fields.length === 0) return new Table();
  return new Table(out);
}

/** Rows where mask[i] != 0. */
export function filterRows(table: Table, mask: Uint8Array): Table {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  if (n === table.numRows) return table;
  const idx = new Int32Array(n);
  for (let i = 0, o = 0; i < mask.length; i++) if (mask[i]) idx[o++] = i;
  return takeRows(table, idx);
}

/**
 * Rows with side 0 and rows with side 1 (other sides are dropped), each in row order. Fixed-width and dictionary
 * columns without nulls are written to both outputs in one pass over their chunks, without flattening them first;
 * other columns go through takeRows' per-type copies.
 */
export function partitionRows(table: Table, side: Uint8Array): [Table, Table] {
  let n0 = 0;
  let n1 = 0;
  for (let i = 0; i < side.length; i++) {
    if (side[i] === 0) n0++;
    else if (side[i] === 1) n1++;
  }
  let idx: [Int32Array, Int32Array] | undefined;
  const indices = (): [Int32Array, Int32Array] => {
    if (idx) return idx;
    idx = [new Int32Array(n0), new Int32Array(n1)];
    for (let i = 0, o0 = 0, o1 = 0; i < side.length; i++) {
      if (side[i] === 0) idx[0][o0++] = i;
      else if (side[i] === 1) idx[1][o1++] = i;
    }
    return idx;
  };
  const out0: Record<string, Vector> = {};
  const out1: Record<string, Vector> = {};
  for (const f of table.schema.fields) {
    const v = table.getChild(f.name) as Vector;
    const both = partitionVector(v, side, n0, n1);
    if (both) [out0[f.name], out1[f.name]] = both;
    else {
      const [i0, i1] = indices();
      out0[f.name] = takeVector(v, i0);
      out1[f.name] = takeVector(v, i1);
    }
  }
  if (table.schema.fields.length === 0) return [new Table(), new Table()];
  return [new Table(out0), new Table(out1)];
}

function partitionVector(v: Vector, side: Uint8Array, n0: number, n1: number): [Vector, Vector] | undefined {
  const t = v.type;
  const first = v.data[0];
  if (!first || v.nullCount > 0) return undefined;
  const fixed = (DataType.isInt(t) || DataType.isFloat(t)) && first.values !== undefined;
  const dict = DataType.isDictionary(t) && v.data.every((d) => d.dictionary === first.dictionary);
  if (!fixed && !dict) return undefined;
  const Ctor = (first.values as unknown as { constructor: new (n: number) => Int32Array }).constructor;
  const dst0 = new Ctor(n0);
  const dst1 = new Ctor(n1);
  let o0 = 0;
  let o1 = 0;
  let row = 0;
  for (const d of v.data) {
    const src = d.values as Int32Array;
    const off = d.offset;
    for (let i = 0; i < d.length; i++, row++) {
      const s = side[row];
      if (s === 0) dst0[o0++] = src[off + i];
      else if (s === 1) dst1[o1++] = src[off + i];
    }
  }
  const make = (data: Int32Array, n: number) =>
    makeVector(makeData({ type: t, length: n, nullCount: 0, data, ...(dict ? { dictionary: first.dictionary } : {}) } as never) as never) as Vector;
  return [make(dst0, n0), make(dst1, n1)];
}

function takeVector(v: Vector, indices: Int32Array | Uint32Array): Vector {
  const t = v.type;
  const n = indices.length;
  const flat = v.data.length === 1 ? v : (makeVector(v.data.length === 0 ? [] : concatData(v)) as Vector);
  const d = flat.data[0];
  if (!d) return vectorFromArray([], t);
  const hasNulls = d.nullCount > 0;
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (hasNulls) {
    nullBitmap = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      if (isValid(d.nullBitmap, d.offset + indices[i])) nullBitmap[i >> 3] |= 1 << (i & 7);
      else nullCount++;
    }
  }
  if ((DataType.isInt(t) && t.bitWidth <= 32) || DataType.isFloat(t) || (DataType.isInt(t) && t.bitWidth === 64)) {
    const src = d.values as unknown as { constructor: new (n: number) => ArrayLike<number> & { [i: number]: number } } & ArrayLike<number>;
    const dst = new src.constructor(n);
    for (let i = 0; i < n; i++) dst[i] = src[d.offset + indices[i]];
    return makeVector(makeData({ type: t, length: n, nullCount, nullBitmap, data: dst } as never) as never);
  }
  if (DataType.isDictionary(t)) {
    const src = d.values as Int32Array;
    const IndexCtor = src.constructor as new (n: number) => Int32Array;
    const dst = new IndexCtor(n);
    for (let i = 0; i < n; i++) dst[i] = src[d.offset + indices[i]];
    return makeVector(makeData({ type: t, length: n, nullCount, nullBitmap, data: dst, dictionary: d.dictionary }) as never);
  }
  if (DataType.isUtf8(t)) {
    const offs = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const r = d.offset + indices[i];
      total += offs[r + 1] - offs[r];
    }
    const outOffs = new Int32Array(n + 1);
    const outBytes = new Uint8Array(total);
    let o = 0;
    for (let i = 0; i < n; i++) {
      const r = d.offset + indices[i];
      outBytes.set(bytes.subarray(offs[r], offs[r + 1]), o);
      o += offs[r + 1] - offs[r];
      outOffs[i + 1] = o;
    }
    return makeVector(makeData({ type: new Utf8(), length: n, nullCount, nullBitmap, valueOffsets: outOffs, data: outBytes }));
  }
  if (DataType.isBool(t)) {
    const vals = new Array<boolean | null>(n);
    for (let i = 0; i < n; i++) vals[i] = flat.get(indices[i]) as boolean | null;
    return vectorFromArray(vals, new Bool());
  }
  const vals = new Array<unknown>(n);
  for (let i = 0; i < n; i++) vals[i] = plain(flat.get(indices[i]));
  return vectorFromArray(vals as never, t);
}

/** A list cell comes back as an Arrow Vector, which vectorFromArray turns into null: give it the values instead. */
function plain(x: unknown): unknown {
  return x instanceof Vector ? x.toArray() : x;
}

/**
 * One contiguous Data for a multi-chunk vector: typed-array concatenation for fixed-width and dictionary columns
 * sharing one dictionary (what our readers produce), element copy otherwise.
 */
function concatData(v: Vector): Vector {
  const t = v.type;
  const first = v.data[0];
  const fixedWidth = DataType.isInt(t) || DataType.isFloat(t);
  const sameDict = DataType.isDictionary(t) && v.data.every((d) => d.dictionary === first.dictionary);
  if ((fixedWidth || sameDict) && v.nullCount === 0) {
    const Ctor = (first.values as unknown as { constructor: new (n: number) => Int32Array }).constructor;
    const out = new Ctor(v.length);
    let o = 0;
    for (const d of v.data) {
      out.set((d.values as Int32Array).subarray(d.offset, d.offset + d.length), o);
      o += d.length;
    }
    return makeVector(makeData({ type: t, length: v.length, nullCount: 0, data: out, dictionary: first.dictionary } as never) as never);
  }
  const vals = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) vals[i] = plain(v.get(i));
  return vectorFromArray(vals as never, t);
}
