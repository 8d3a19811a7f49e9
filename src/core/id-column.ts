import { DataType, type Table } from "apache-arrow";
import { InputError } from "./errors.js";
import { float64Values, requireNumeric } from "./table.js";

/**
 * A numeric id column (user or item indices) as Int32, with `valid[i] = 0` where it is null or NaN (cold-start
 * rows, unseen ids with handleInvalid keep are still valid ids). Like Spark ALS's checkIntegers, a value that is
 * not an integer in the Int32 range is a data error naming the column and row. An Int32 column in one chunk without
 * nulls is returned as its own buffer (raw integer ids need no conversion): callers read `ids`, never write it.
 */
export function idColumn(table: Table, name: string, where: string): { ids: Int32Array; valid: Uint8Array; numInvalid: number } {
  requireNumeric(table.schema, name, where);
  const v = table.getChild(name);
  if (v && v.data.length === 1 && v.nullCount === 0 && DataType.isInt(v.type) && v.type.bitWidth === 32 && v.type.isSigned) {
    const ids = (v.data[0].values as Int32Array).subarray(0, v.length);
    return { ids, valid: new Uint8Array(ids.length).fill(1), numInvalid: 0 };
  }
  const x = float64Values(table, name, where);
  const ids = new Int32Array(x.length);
  const valid = new Uint8Array(x.length);
  let numInvalid = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) {
      numInvalid++;
      continue;
    }
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)
      throw new InputError("E_DATA", `${where}: column "${name}" row ${i}: ids must be integers within the Int32 range; got ${v}`);
    ids[i] = v;
    valid[i] = 1;
  }
  return { ids, valid, numInvalid };
}
