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
 * the smallest row recpipe can use. `header` (csv/tsv; default true, as the reader's) leaves the first line out of
 * the count and out of the mean line length. Returns undefined when the file cannot be opened (the reader reports that).
 */
export async function estimateRows(file: string, format?: TableFormat, opts: { header?: boolean } = {}): Promise<RowEstimate | undefined> {
  const st = await stat(file).catch(() => undefined);
  if (!st) return undefined;
  const fmt = format ?? (await inferFormat(file).catch(() => undefined));
  if (fmt === "parquet") return parquetRows(file, st.isDirectory());
  if (!st.isFile()) return undefined;
  if (fmt === "arrow") return { rows: Math.ceil(st.size / MIN_ARROW_ROW_BYTES), bytes: st.size, how: "file size" };
  const header = (fmt === "csv" || fmt === "tsv") && (opts.header ?? true);
  return { rows: await sampledLineCount(file, st.size, header), bytes: st.size, how: "sampled lines" };
}

async function sampledLineCount(file: string, size: number, header: boolean): Promise<number> {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    // A header line is not a rating: skip its bytes (a header longer than the sample leaves no line to measure).
    const start = header ? Math.min(bytesRead, buf.indexOf(10) < 0 ? bytesRead : buf.indexOf(10) + 1) : 0;
    let lines = 0;
    for (let i = start; i < bytesRead; i++) if (buf[i] === 10) lines++;
    if (bytesRead >= size) return lines + (bytesRead > start && buf[bytesRead - 1] !== 10 ? 1 : 0);
    // Mean over the whole lines only (the sample's last line is cut short).
    const end = lines > 0 ? buf.lastIndexOf(10, bytesRead - 1) + 1 : bytesRead;
    return Math.ceil((size - start) / ((end - start) / Math.max(1, lines)));
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
