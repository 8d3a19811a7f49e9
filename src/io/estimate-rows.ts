import { openAsBlob } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import * as parquetWasm from "parquet-wasm";
import { isDataPartFile, inferFormat } from "./read-table.js";
import type { TableFormat } from "./table-format.js";

/** How many rows a data file holds, found without reading it: exact from Parquet metadata, else from its size. */
export interface RowEstimate {
  rows: number;
  bytes: number;
  /** "parquet metadata" (exact), "sampled lines" (size / mean line length of the first MiB), "file size" (a bound). */
  how: "parquet metadata" | "sampled lines" | "file size";
}

const SAMPLE_BYTES = 1 << 20;
/** Smallest Arrow IPC row recpipe can use (int32 user, int32 item, float32 rating): size / 12 bounds the row count. */
const MIN_ARROW_ROW_BYTES = 12;

/**
 * Rows in a data file or Spark-style Parquet folder, in milliseconds whatever its size: Parquet footers give the
 * count; a text file's size is divided by the mean length of the lines in its first MiB; an Arrow file's size by
 * the smallest row recpipe can use. Returns undefined when the file cannot be opened (the reader reports that).
 */
export async function estimateRows(file: string, format?: TableFormat): Promise<RowEstimate | undefined> {
  const st = await stat(file).catch(() => undefined);
  if (!st) return undefined;
  const fmt = format ?? (await inferFormat(file).catch(() => undefined));
  if (fmt === "parquet") return parquetRows(file, st.isDirectory());
  if (!st.isFile()) return undefined;
  if (fmt === "arrow") return { rows: Math.ceil(st.size / MIN_ARROW_ROW_BYTES), bytes: st.size, how: "file size" };
  return { rows: await sampledLineCount(file, st.size), bytes: st.size, how: "sampled lines" };
}

async function sampledLineCount(file: string, size: number): Promise<number> {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (buf[i] === 10) lines++;
    if (bytesRead >= size) return lines + (bytesRead > 0 && buf[bytesRead - 1] !== 10 ? 1 : 0);
    return Math.ceil(size / (bytesRead / Math.max(1, lines)));
  } finally {
    await fh.close();
  }
}

async function parquetRows(file: string, isDir: boolean): Promise<RowEstimate | undefined> {
  const files = isDir ? (await readdir(file)).filter((n) => isDataPartFile(n) && n.endsWith(".parquet")).map((n) => path.join(file, n)) : [file];
  let rows = 0;
  let bytes = 0;
  for (const f of files) {
    let pf: parquetWasm.ParquetFile | undefined;
    try {
      pf = await parquetWasm.ParquetFile.fromFile(await openAsBlob(f));
      rows += pf.metadata().fileMetadata().numRows();
      bytes += (await stat(f)).size;
    } catch {
      return undefined; // not a readable Parquet file: the reader says so, with the reason
    } finally {
      pf?.free();
    }
  }
  return { rows, bytes, how: "parquet metadata" };
}
