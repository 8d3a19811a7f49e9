import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Table, tableToIPC, type Vector } from "apache-arrow";
import { InputError } from "../core/errors.js";
import { writeParquetBytes } from "./parquet-codec.js";
import { describeWriteError } from "./write-error.js";

export { readParquetBytes, writeParquetBytes } from "./parquet-codec.js";

export type WriteFormat = "parquet" | "csv" | "jsonl" | "arrow";

export interface WriteOptions {
  format?: WriteFormat;
}

const BY_EXTENSION: Record<string, WriteFormat> = { ".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".arrow": "arrow" };

/** Writes a table to one file (format from `opts.format` or the extension). */
export async function writeTable(table: Table, file: string, opts: WriteOptions = {}): Promise<void> {
  const format = opts.format ?? BY_EXTENSION[path.extname(file).toLowerCase()];
  if (!format) throw new InputError("E_ARGS", `${file}: cannot tell the output format from the extension; use parquet, csv, jsonl or arrow`);
  let bytes: Uint8Array | string;
  switch (format) {
    case "parquet":
      bytes = writeParquetBytes(table);
      break;
    case "arrow":
      bytes = tableToIPC(table, "file");
      break;
    case "csv":
      bytes = tableToCsv(table);
      break;
    case "jsonl":
      bytes = tableToJsonLines(table);
      break;
    default:
      throw new InputError("E_ARGS", `unknown output format "${String(format)}"`);
  }
  try {
    await writeFile(file, bytes);
  } catch (e) {
    throw new InputError("E_FILE", `${file}: cannot write (${describeWriteError(e)})`, { cause: e });
  }
}

/** A cell as plain JS: lists become arrays, bigint stays exact when safe. */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === "object" && v !== null && "toArray" in v && typeof (v as Vector).toArray === "function") {
    return Array.from((v as Vector).toArray() as ArrayLike<unknown>, plain);
  }
  return v;
}

function csvCell(v: unknown): string {
  const p = plain(v);
  if (p === null) return "";
  const s = typeof p === "string" ? p : Array.isArray(p) ? JSON.stringify(p) : String(p);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function columnsOf(table: Table): { name: string; get: (i: number) => unknown }[] {
  return table.schema.fields.map((f, i) => {
    const col = table.getChildAt(i)!;
    return { name: f.name, get: (r: number) => col.get(r) };
  });
}

export function tableToCsv(table: Table): string {
  const cols = columnsOf(table);
  const lines: string[] = [cols.map((c) => csvCell(c.name)).join(",")];
  for (let r = 0; r < table.numRows; r++) lines.push(cols.map((c) => csvCell(c.get(r))).join(","));
  return lines.join("\n") + "\n";
}

export function tableToJsonLines(table: Table): string {
  const cols = columnsOf(table);
  const lines: string[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const obj: Record<string, unknown> = {};
    for (const c of cols) {
      const v = plain(c.get(r));
      obj[c.name] = typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
    }
    lines.push(JSON.stringify(obj));
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}
