import { DataType, makeData, makeVector, Table, type Vector } from "apache-arrow";

type Values = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/**
 * Rows with side 0 then rows with side 1, each in row order, moved inside the table's own buffers: train is then a
 * view of the first rows and test of the next ones, and the split costs no second copy of the data (16 bytes a rating
 * of a 4-column table, at a large run's peak). The table is left holding the same rows in another order: only for a
 * table nobody reads row by row afterwards. Returns undefined, changing nothing, unless every column is one chunk of
 * fixed-width values (numbers, or dictionary indices) without nulls, no two columns share a buffer, and no row is
 * dropped (side 255), so the caller copies instead.
 */
export function partitionRowsInPlace(table: Table, side: Uint8Array): [Table, Table] | undefined {
  const n = table.numRows;
  if (side.length !== n || table.schema.fields.length === 0) return undefined;
  let n0 = 0;
  for (let i = 0; i < n; i++) {
    if (side[i] === 0) n0++;
    else if (side[i] !== 1) return undefined;
  }
  const columns: { name: string; v: Vector; values: Values }[] = [];
  for (const f of table.schema.fields) {
    const v = table.getChild(f.name) as Vector;
    const values = ownValues(v, n);
    if (!values) return undefined;
    columns.push({ name: f.name, v, values });
  }
  if (overlapping(columns.map((c) => c.values))) return undefined;
  const out0: Record<string, Vector> = {};
  const out1: Record<string, Vector> = {};
  for (const { name, v, values } of columns) {
    partitionValues(values, side, n0);
    const d = v.data[0];
    const make = (data: Values, length: number) =>
      makeVector(
        makeData({ type: v.type, length, nullCount: 0, data, ...(DataType.isDictionary(v.type) ? { dictionary: d.dictionary } : {}) } as never) as never,
      ) as Vector;
    out0[name] = make(values.subarray(0, n0), n0);
    out1[name] = make(values.subarray(n0, n), n - n0);
  }
  return [new Table(out0), new Table(out1)];
}

/** The column's values when it is one chunk of n fixed-width values without nulls (a view from its first row). */
function ownValues(v: Vector, n: number): Values | undefined {
  if (v.data.length !== 1 || v.nullCount > 0) return undefined;
  const t = v.type;
  if (!(DataType.isInt(t) || DataType.isFloat(t) || DataType.isDictionary(t) || DataType.isDate(t) || DataType.isTimestamp(t))) return undefined;
  const d = v.data[0];
  const values = d.values as unknown;
  if (!ArrayBuffer.isView(values) || values instanceof DataView) return undefined;
  const typed = values as Values;
  // A sliced chunk's values already start at its first row; one element per row (Date64 / Timestamp hold one each).
  if (typed.length < n || d.length !== n) return undefined;
  return typed.subarray(0, n) as Values;
}

/** Whether any two of the arrays share bytes (a column repeated under two names: moving it twice would scramble it). */
function overlapping(arrays: readonly Values[]): boolean {
  const spans = arrays.map((a) => ({ buffer: a.buffer, start: a.byteOffset, end: a.byteOffset + a.byteLength }));
  for (let i = 0; i < spans.length; i++)
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i];
      const b = spans[j];
      if (a.buffer === b.buffer && a.start < b.end && b.start < a.end) return true;
    }
  return false;
}

/** Stable partition: side-0 values compacted forward in place (a write never passes its read), side-1 values via a temporary. */
function partitionValues(values: Values, side: Uint8Array, n0: number): void {
  const a = values as Int32Array;
  const rest = new (a.constructor as new (n: number) => Int32Array)(a.length - n0);
  let w0 = 0;
  let w1 = 0;
  for (let i = 0; i < a.length; i++) {
    if (side[i] === 0) a[w0++] = a[i];
    else rest[w1++] = a[i];
  }
  a.set(rest, n0);
}
