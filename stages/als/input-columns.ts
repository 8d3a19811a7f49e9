import { DataType, Precision, type Table } from "apache-arrow";
import { InputError } from "../../src/core/errors.js";
import { float64Values } from "../../src/core/table.js";

/**
 * Spark's checkIntegers: ids must be non-null integers in int32 range. Returns them as Int32Array or throws
 * InputError naming the column, the row and the value.
 */
export function integerIds(table: Table, col: string, where: string): Int32Array {
  const direct = int32WithoutNulls(table, col);
  if (direct) return direct;
  const v = float64Values(table, col, where);
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isInteger(x) || x < -2147483648 || x > 2147483647) {
      throw new InputError(
        "E_DATA",
        `${where}: ALS only supports non-Null values in Integer range and without fractional part for column ${col}, but got ${Number.isNaN(x) ? "null/NaN" : x} (row ${i} of the rows it was given, i.e. the training split at fit time); index string or long ids with string-indexer first`,
      );
    }
    out[i] = x;
  }
  return out;
}

/**
 * The ids as integerIds checks them, for reading only: a Float64 column in one chunk without nulls (string-indexer's
 * output) is returned as its own buffer once every value is checked, not copied to Int32 (8 bytes a rating at the
 * fit's peak, for two id columns). Callers must never write into the result.
 */
export function idValues(table: Table, col: string, where: string): Int32Array | Float64Array {
  const direct = int32WithoutNulls(table, col);
  if (direct) return direct;
  const v = float64Values(table, col, where);
  if (v.buffer !== (table.getChild(col)?.data[0]?.values as Float64Array | undefined)?.buffer) return integerIds(table, col, where);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isInteger(x) || x < -2147483648 || x > 2147483647) return integerIds(table, col, where); // its message names the row
  }
  return v;
}

/** Ratings as ratings() reads them, for reading only: a Float32 column in one chunk without nulls is its own buffer. */
export function ratingValues(table: Table, col: string, where: string): Float32Array {
  const v = col === "" ? undefined : table.getChild(col);
  if (v && v.data.length === 1 && v.nullCount === 0 && DataType.isFloat(v.type) && v.type.precision === Precision.SINGLE) {
    const d = v.data[0];
    const values = (d.values as Float32Array).subarray(0, d.length);
    let finite = true;
    for (let i = 0; i < values.length && finite; i++) finite = Number.isFinite(values[i]);
    if (finite) return values;
  }
  return ratings(table, col, where);
}

/** Ratings as Float32 (Spark casts to Float); null, NaN and infinities are refused as Spark's checkNonNanValues does. */
export function ratings(table: Table, col: string, where: string): Float32Array {
  if (col === "") return new Float32Array(table.numRows).fill(1);
  const v = float64Values(table, col, where);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new InputError(
        "E_DATA",
        `${where}: Ratings MUST NOT be Null or NaN (nor infinite): column ${col} row ${i} of the training split is ${Number.isNaN(v[i]) ? "null/NaN" : v[i]}`,
      );
    }
    out[i] = v[i];
  }
  return out;
}

/** ratings(), but a float32 column in one chunk without nulls is returned as it is (no copy): the caller must not write to it. */
export function ratingsView(table: Table, col: string, where: string): Float32Array {
  const v = col === "" ? null : table.getChild(col);
  if (!v || v.data.length !== 1 || v.nullCount > 0 || !DataType.isFloat(v.type) || v.type.precision !== Precision.SINGLE) return ratings(table, col, where);
  const d = v.data[0];
  const values = (d.values as Float32Array).subarray(0, d.length); // a sliced chunk's values start at its first row
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return ratings(table, col, where); // ratings() names the row
  return values;
}

/** An int32 column without nulls in one chunk is already valid ids: use its values as they are (no copy). */
function int32WithoutNulls(table: Table, col: string): Int32Array | undefined {
  const v = table.getChild(col);
  if (!v || v.data.length !== 1 || v.nullCount > 0 || !DataType.isInt(v.type) || v.type.bitWidth !== 32 || !v.type.isSigned) return undefined;
  const d = v.data[0];
  return (d.values as Int32Array).subarray(0, d.length); // a sliced chunk's values start at its first row
}
