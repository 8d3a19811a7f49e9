import { openAsBlob } from "node:fs";
import { open, readFile, readdir, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { RecordBatchReader, Table, tableFromIPC } from "apache-arrow";
import { InputError, didYouMean } from "../core/errors.js";
import type { DeclaredType } from "./column-builders.js";
import { readDelimited, type DelimitedOptions } from "./delimited-reader.js";
import { readJsonLines } from "./jsonl-reader.js";
import { readDelimitedInParallel } from "./parallel-delimited.js";
import * as parquetWasm from "parquet-wasm";
import { concatTables } from "./concat-tables.js";

import { formatFromExtension, type TableFormat } from "./table-format.js";

export interface ReadOptions {
  format?: TableFormat;
  /** First row names the columns (csv/tsv). Default true, unless `columns` is given. */
  header?: boolean;
  /** csv/tsv: names of the columns (rename the header, or name a headerless file). jsonl/parquet/arrow: the columns to keep, in this order. */
  columns?: string[];
  delimiter?: string;
  encoding?: "utf-8" | "latin1";
  /** Declared column types (csv/tsv/jsonl); other columns are inferred. */
  types?: Record<string, DeclaredType>;
  /** csv/tsv/jsonl: cells equal to one of these strings are null (pandas' na_values, Spark's nullValue). */
  nullValues?: string[];
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** csv/tsv: threads a large plain numeric file may be parsed on (parallel-delimited.ts); default 1. */
  workers?: number;
}

/** Format from the extension; a directory is a Spark-style Parquet folder. */
export async function inferFormat(file: string): Promise<TableFormat> {
  const known = formatFromExtension(file);
  if (known) return known;
  const ext = path.extname(file).toLowerCase();
  const s = await stat(file).catch(() => undefined);
  if (s?.isDirectory()) return "parquet";
  throw new InputError("E_FILE", `${file}: cannot tell the format from the extension "${ext}"; set format to one of csv, tsv, jsonl, parquet, arrow`);
}

export async function readTable(file: string, opts: ReadOptions = {}): Promise<Table> {
  const format = opts.format ?? (await inferFormat(file));
  switch (format) {
    case "csv":
    case "tsv":
      return readDelimitedOn(file, { ...delimitedOptions(format, opts), onProgress: opts.onProgress }, opts.workers ?? 1);
    case "jsonl":
      return readJsonLines(file, opts);
    case "parquet":
      return selectColumns(await readParquetPath(file), opts.columns, file);
    case "arrow":
      return selectColumns(await readArrowFile(file), opts.columns, file);
    default:
      throw new InputError("E_SPEC", `${file}: unknown format "${String(format)}"; expected csv, tsv, jsonl, parquet or arrow`);
  }
}

/** A large plain numeric file on several threads when it can be (parallel-delimited.ts says when), else on this one. */
async function readDelimitedOn(file: string, opts: DelimitedOptions, workers: number): Promise<Table> {
  if (workers > 1) {
    const parallel = await readDelimitedInParallel(file, opts, workers);
    if (parallel) {
      opts.onProgress?.(parallel.bytes, parallel.bytes);
      return parallel.table;
    }
  }
  return readDelimited(file, opts);
}

/** csv/tsv reading options from a source's: the format's delimiter, a header unless columns are named, utf-8. */
function delimitedOptions(format: "csv" | "tsv", opts: ReadOptions): DelimitedOptions {
  return {
    delimiter: opts.delimiter ?? (format === "tsv" ? "\t" : ","),
    header: opts.header ?? opts.columns === undefined,
    columns: opts.columns,
    encoding: opts.encoding ?? "utf-8",
    types: opts.types,
    nullValues: opts.nullValues,
  };
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new InputError("E_FILE", `${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
}

/** How much of a file `readTableSample` reads: enough rows to infer types, never the whole of a large file. */
const SAMPLE_ROWS = 1000;
const SAMPLE_BYTES = 1 << 20;

/**
 * The first rows of a data file, read the way `readTable` reads all of it (same options, same errors): the header and
 * the first 1 MiB of csv/tsv, the first 1,000 jsonl objects, the first rows of a Parquet file (its footer holds the
 * schema) or of an Arrow file's first batch. For checking a source's columns without reading or hashing the file.
 * Types inferred from these rows may be narrower than the whole file's (an int column with a decimal further down).
 */
export async function readTableSample(file: string, opts: ReadOptions = {}): Promise<Table> {
  const format = opts.format ?? (await inferFormat(file));
  switch (format) {
    case "csv":
    case "tsv":
      return readDelimited(file, { ...delimitedOptions(format, opts), sampleBytes: SAMPLE_BYTES });
    case "jsonl":
      return readJsonLines(file, { ...opts, onProgress: undefined, maxRows: SAMPLE_ROWS });
    case "parquet":
      return selectColumns(await readParquetSample(file), opts.columns, file);
    case "arrow":
      return selectColumns(await readArrowSample(file), opts.columns, file);
    default:
      throw new InputError("E_SPEC", `${file}: unknown format "${String(format)}"; expected csv, tsv, jsonl, parquet or arrow`);
  }
}

async function readParquetSample(file: string): Promise<Table> {
  const s = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new InputError("E_FILE", `${file}: cannot read (${e.code ?? String(e)})`, { cause: e });
  });
  let first = file;
  if (s.isDirectory()) {
    const parts = (await readdir(file)).filter((n) => isDataPartFile(n) && n.endsWith(".parquet")).sort();
    if (parts.length === 0) throw new InputError("E_FILE", `${file}: directory holds no .parquet part files`);
    first = path.join(file, parts[0]);
  }
  let pf: parquetWasm.ParquetFile | undefined;
  try {
    pf = await parquetWasm.ParquetFile.fromFile(await openAsBlob(first));
    return tableFromIPC((await pf.read({ limit: SAMPLE_ROWS })).intoIPCStream());
  } catch (e) {
    throw new InputError("E_FILE", `${first}: not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  } finally {
    pf?.free();
  }
}

async function readArrowSample(file: string): Promise<Table> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, "r");
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    const first = await reader.next();
    return new Table(reader.schema, first.done ? [] : [first.value]);
  } catch (e) {
    throw new InputError("E_FILE", `${file}: not a readable Arrow IPC file or stream (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  } finally {
    await handle?.close();
  }
}

/** Hadoop/Spark side files that are not data. */
export function isDataPartFile(name: string): boolean {
  return !name.startsWith(".") && !name.startsWith("_") && !name.endsWith(".crc");
}

/** One Parquet file, or a Spark-style folder of part files concatenated in sorted name order. */
export async function readParquetPath(file: string): Promise<Table> {
  const s = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new InputError("E_FILE", `${file}: cannot read (${e.code ?? String(e)})`, { cause: e });
  });
  if (!s.isDirectory()) return readParquetFile(file);
  const parts = (await readdir(file)).filter((n) => isDataPartFile(n) && n.endsWith(".parquet")).sort();
  if (parts.length === 0) throw new InputError("E_FILE", `${file}: directory holds no .parquet part files`);
  const tables: Table[] = [];
  for (const p of parts) {
    const full = path.join(file, p);
    tables.push(await readParquetFile(full));
  }
  return concatTables(tables, file);
}

/**
 * One Parquet file, read a row group at a time from a file-backed Blob: parquet-wasm fetches only the byte ranges it
 * needs, so WebAssembly memory (which never shrinks) holds one row group rather than the whole file and its decoded
 * copy. On 25M rows this is the difference between 2 and 3.7 GB peak RSS.
 */
async function readParquetFile(file: string): Promise<Table> {
  let pf: parquetWasm.ParquetFile | undefined;
  try {
    pf = await parquetWasm.ParquetFile.fromFile(await openAsBlob(file));
    const groupRows = rowGroupSizes(pf);
    // One record batch per row group: parquet-rs's default is 1024 rows a batch, and a table of thousands of chunks
    // makes every later whole-column step pay per chunk (apache-arrow's Table-from-vectors constructor is quadratic
    // in them: 6 s at 5M rows).
    if (groupRows.length <= 1) return tableFromIPC((await pf.read({ batchSize: groupRows[0] ?? 1 })).intoIPCStream());
    const parts: Table[] = [];
    for (let g = 0; g < groupRows.length; g++) parts.push(tableFromIPC((await pf.read({ rowGroups: [g], batchSize: groupRows[g] })).intoIPCStream()));
    return concatTables(parts, file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError("E_FILE", `${file}: not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  } finally {
    pf?.free();
  }
}

/** Rows of each row group (at least 1: parquet-rs takes a batch size >= 1), freeing the wasm-side metadata. */
function rowGroupSizes(pf: parquetWasm.ParquetFile): number[] {
  const meta = pf.metadata();
  try {
    return Array.from({ length: meta.numRowGroups() }, (_, g) => {
      const group = meta.rowGroup(g);
      try {
        return Math.max(1, group.numRows());
      } finally {
        group.free();
      }
    });
  } finally {
    meta.free();
  }
}

async function readArrowFile(file: string): Promise<Table> {
  const bytes = await readBytes(file);
  try {
    return tableFromIPC(bytes);
  } catch (e) {
    throw new InputError("E_FILE", `${file}: not a readable Arrow IPC file or stream (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
}

function selectColumns(table: Table, columns: string[] | undefined, file: string): Table {
  if (!columns) return table;
  const names = table.schema.fields.map((f) => f.name);
  for (const c of columns) {
    if (!names.includes(c)) throw new InputError("E_COLUMN", `${file}: no column "${c}"${didYouMean(c, names)}; columns are ${names.join(", ")}`);
  }
  return table.select(columns);
}
