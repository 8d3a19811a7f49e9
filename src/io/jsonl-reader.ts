import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { Bool, DataType, Field, Float32, Float64, Int32, Int64, RecordBatch, Schema, Struct, Table, makeData, type Data } from "apache-arrow";
import { InputError, didYouMean } from "../core/errors.js";
import { FIRST_MISSING_KEY } from "../core/table.js";
import { dictionaryFromStrings, type DeclaredType } from "./column-builders.js";
import { ValidityBitmap } from "./validity-bitmap.js";

interface JsonlOptions {
  columns?: string[];
  types?: Record<string, DeclaredType>;
  encoding?: "utf-8" | "latin1";
  /** String values equal to one of these are null (pandas' na_values); numbers and booleans are never. */
  nullValues?: string[];
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Read only the first `maxRows` objects (column names and types of a large file, for `recpipe validate`). */
  maxRows?: number;
}

type Cell = string | number | boolean | null;

/**
 * JSON Lines: one object per line. Columns are the union of keys in first-seen order (missing key => null);
 * numbers become int32 when every value is an integer within int32, else float64; strings are dictionary
 * encoded; booleans stay booleans; nested values are kept as their JSON text. JSONL is the convenience
 * format, not the fast path: values go through JSON.parse.
 */
export async function readJsonLines(file: string, opts: JsonlOptions): Promise<Table> {
  const name = path.basename(file);
  let total: number;
  try {
    total = (await stat(file)).size;
  } catch (e) {
    throw new InputError("E_FILE", `${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  if (total === 0) throw new InputError("E_DATA", `${file}: file is empty (no rows)`);
  const stream = createReadStream(file, {
    encoding: opts.encoding === "latin1" ? "latin1" : "utf8",
    highWaterMark: opts.maxRows !== undefined ? 64 << 10 : 8 << 20,
  });
  const values = new Map<string, Cell[]>();
  let rows = 0;
  let lineNo = 0;
  const lineOfRow: number[] = [];
  const nulls = new Set(opts.nullValues ?? []);
  /** Per column, the first string read as null, for the FIRST_MISSING_KEY message. */
  const nulledAt = new Map<string, string>();
  for await (const rawLine of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo++;
    const line = lineNo === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine;
    if (line.trim() === "") continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new InputError("E_DATA", `${name}:${lineNo}: not valid JSON (${(e as Error).message})`);
    }
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
      throw new InputError("E_DATA", `${name}:${lineNo}: expected a JSON object, found ${Array.isArray(obj) ? "an array" : JSON.stringify(obj)}`);
    }
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      let col = values.get(k);
      if (!col) {
        col = new Array<Cell>(rows).fill(null);
        values.set(k, col);
      }
      if (typeof v === "string" && nulls.has(v)) {
        col[rows] = null;
        if (!nulledAt.has(k)) nulledAt.set(k, `${name}:${lineNo} (${JSON.stringify(v)}, one of source.nullValues)`);
        continue;
      }
      col[rows] = v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : JSON.stringify(v);
    }
    lineOfRow.push(lineNo);
    rows++;
    for (const col of values.values()) if (col.length < rows) col.push(null);
    if ((rows & 0xffff) === 0) opts.onProgress?.(stream.bytesRead, total);
    if (opts.maxRows !== undefined && rows >= opts.maxRows) break;
  }
  stream.destroy();
  opts.onProgress?.(total, total);
  if (rows === 0) throw new InputError("E_DATA", `${file}: no rows (only blank lines)`);
  const available = [...values.keys()];
  const names = opts.columns ?? available;
  for (const c of names) {
    if (!values.has(c)) throw new InputError("E_COLUMN", `${file}: no key "${c}" in any row${didYouMean(c, available)}; keys are ${available.join(", ")}`);
  }
  for (const c of Object.keys(opts.types ?? {})) {
    if (!values.has(c)) throw new InputError("E_COLUMN", `${file}: types names key "${c}", which no row has${didYouMean(c, available)}`);
  }
  const children = names.map((n) => buildColumn(name, n, values.get(n)!, opts.types?.[n], lineOfRow));
  const fields = children.map((d, i) => {
    // A numeric column's first null (or missing key) is kept with its line, so a check on the data can name it.
    const cells = values.get(names[i])!;
    const r = DataType.isInt(d.type) || DataType.isFloat(d.type) ? cells.findIndex((c) => c === null || c === "NaN") : -1;
    const at =
      r < 0
        ? undefined
        : nulledAt.get(names[i]) !== undefined && nulledAt.get(names[i])!.startsWith(`${name}:${lineOfRow[r]} `)
          ? nulledAt.get(names[i])
          : `${name}:${lineOfRow[r]} (${cells[r] === null ? "null or missing" : "'NaN'"})`;
    return new Field(names[i], d.type, true, at !== undefined ? new Map([[FIRST_MISSING_KEY, at]]) : undefined);
  });
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table([new RecordBatch(new Schema(fields), struct)]);
}

function buildColumn(file: string, column: string, cells: Cell[], declared: DeclaredType | undefined, lineOfRow: number[]): Data<DataType> {
  const kinds = new Set(cells.filter((c) => c !== null).map((c) => typeof c));
  const type: DeclaredType | "bool" =
    declared ??
    (kinds.size === 1 && kinds.has("number")
      ? cells.every((c) => c === null || (Number.isInteger(c) && (c as number) >= -2147483648 && (c as number) <= 2147483647))
        ? "int32"
        : "float64"
      : kinds.size === 1 && kinds.has("boolean")
        ? "bool"
        : "string");
  if (type === "string") return dictionaryFromStrings(cells.map((c) => (c === null ? null : String(c))));
  const validity = new ValidityBitmap();
  const n = cells.length;
  const numbers = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const c = cells[r];
    if (c === null) {
      validity.setNull(r, n);
      continue;
    }
    if (type === "bool") {
      numbers[r] = c ? 1 : 0;
      continue;
    }
    const v = typeof c === "number" ? c : typeof c === "string" && c.trim() !== "" ? Number(c) : NaN;
    if (Number.isNaN(v) && c !== "NaN") {
      throw new InputError("E_DATA", `${file}:${lineOfRow[r]} column ${column}: expected a number (declared ${type}), found ${JSON.stringify(c)}`);
    }
    if ((type === "int32" || type === "int64") && !Number.isInteger(v)) {
      throw new InputError("E_DATA", `${file}:${lineOfRow[r]} column ${column}: expected an integer (declared ${type}), found ${JSON.stringify(c)}`);
    }
    numbers[r] = v;
  }
  const common = { length: n, nullCount: validity.nullCount, nullBitmap: validity.finish(n) };
  switch (type) {
    case "bool": {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let r = 0; r < n; r++) if (numbers[r]) bits[r >> 3] |= 1 << (r & 7);
      return makeData({ type: new Bool(), ...common, data: bits });
    }
    case "int32":
      return makeData({ type: new Int32(), ...common, data: Int32Array.from(numbers) });
    case "float32":
      return makeData({ type: new Float32(), ...common, data: Float32Array.from(numbers) });
    case "int64":
      return makeData({ type: new Int64(), ...common, data: BigInt64Array.from(numbers, (v) => BigInt(v)) as never });
    default:
      return makeData({ type: new Float64(), ...common, data: numbers });
  }
}
