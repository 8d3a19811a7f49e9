/**
 * A large CSV/TSV read on several threads: the data bytes are cut into one contiguous range per worker, each cut just
 * after a line feed, every range is parsed by its own DelimitedParser (delimited-range.ts; the first range on this
 * thread, the others on delimited-worker.ts threads) and the columns are joined in file order. The table is the one the single-threaded reader builds, to the byte, or this returns undefined and
 * the caller reads the file on one thread, which then gives every error and warning with its own line numbers. So the
 * parallel path takes only what it can join without judgement:
 * - no quote byte anywhere (a quoted field may hold a line feed, so a cut could fall inside it), no blank line or
 *   line end before the header, and a line feed within the first MiB;
 * - every range parses with no error, no text in an inferred column, no null, NaN or infinite value;
 * - every range infers the same type for a column; a leading-zero id only in the first range (its row numbers are
 *   the file's).
 */
import { open, type FileHandle } from "node:fs/promises";
import { Field, Float32, Float64, Int32, Int64, RecordBatch, Schema, Struct, Table, makeData, type Data, type DataType } from "apache-arrow";
import { FIRST_MISSING_KEY, LEADING_ZEROS_KEY, TEXT_REASON_KEY } from "../core/table.js";
import type { DelimitedOptions } from "./delimited-reader.js";
import { parseRange, type RangeReply, type RangeTask } from "./delimited-range.js";
import { startWorkerBeside } from "../workers/start-worker.js";

/**
 * Below this many bytes one thread is as fast: a worker costs ~0.25 s of CPU to start (measured: at 40 MB, 3M rows, the
 * worker thread used more than the whole one-thread read; at 140 MB the read's longest thread took 0.84 s instead of 1.14).
 */
export const PARALLEL_MIN_BYTES = 64 << 20;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const HEAD_BYTES = 1 << 20;

/** The single-threaded reader's options (progress and sampling do not apply to a whole-file parallel read). */
interface Options extends Omit<DelimitedOptions, "onProgress" | "sampleBytes"> {
  /** Tests lower it to run the parallel path on small files. */
  parallelMinBytes?: number;
}

export async function readDelimitedInParallel(file: string, opts: Options, workers: number): Promise<{ table: Table; bytes: number } | undefined> {
  if (Object.values(opts.types ?? {}).includes("string")) return undefined;
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch {
    return undefined;
  }
  let cuts: number[] | undefined;
  let names: string[] | undefined;
  let total = 0;
  try {
    const st = await handle.stat();
    total = st.size;
    if (!st.isFile() || total < (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES)) return undefined;
    const head = await readAt(handle, 0, Math.min(HEAD_BYTES, total));
    const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    if (head[bom] === LF || head[bom] === CR) return undefined;
    let dataStart = bom;
    if (opts.header) {
      const lf = head.indexOf(LF, bom);
      if (lf < 0) return undefined;
      const line = head.subarray(bom, lf > bom && head[lf - 1] === CR ? lf - 1 : lf);
      if (line.includes(QUOTE) || line.includes(CR)) return undefined;
      const header = headerFields(line, opts);
      // A header whose width differs from `columns` is the one-thread reader's error to give.
      if (opts.columns && opts.columns.length !== header.length) return undefined;
      names = opts.columns ?? header;
      dataStart = lf + 1;
    } else names = opts.columns;
    cuts = [dataStart];
    for (let k = 1; k < workers; k++) {
      const at = dataStart + Math.floor(((total - dataStart) * k) / workers);
      const window = await readAt(handle, at, Math.min(HEAD_BYTES, total - at));
      const lf = window.indexOf(LF);
      if (lf < 0) return undefined;
      const cut = at + lf + 1;
      if (cut <= cuts[cuts.length - 1] || cut >= total) return undefined;
      cuts.push(cut);
    }
    cuts.push(total);
  } finally {
    await handle.close();
  }
  const tasks: RangeTask[] = cuts.slice(0, -1).map((from, k) => ({
    file,
    from,
    to: cuts![k + 1],
    delimiter: opts.delimiter,
    encoding: opts.encoding,
    columns: names,
    types: opts.types,
    nullValues: opts.nullValues,
  }));
  // This thread would only wait: it parses the first range while the workers start and parse theirs.
  const replies = await Promise.all(tasks.map((t, k) => (k === 0 ? parseRange(t) : parseOnWorker(t))));
  const table = joinRanges(replies);
  return table ? { table, bytes: total } : undefined;
}

/** The header's fields, each decoded alone as the one-thread reader decodes them. */
function headerFields(line: Buffer, opts: Options): string[] {
  const delim = opts.encoding === "latin1" ? Buffer.from(opts.delimiter, "latin1") : Buffer.from(opts.delimiter, "utf8");
  const enc = opts.encoding === "latin1" ? "latin1" : "utf8";
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const d = line.indexOf(delim, at);
    if (d < 0) break;
    out.push(line.toString(enc, at, d));
    at = d + delim.length;
  }
  out.push(line.toString(enc, at));
  return out;
}

async function readAt(handle: FileHandle, at: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, at + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

function parseOnWorker(task: RangeTask): Promise<RangeReply> {
  const worker = startWorkerBeside(import.meta.url, "delimited-worker");
  return new Promise<RangeReply>((resolve) => {
    worker.once("message", (reply: RangeReply) => resolve(reply));
    worker.once("error", (e) => resolve({ ok: false, reason: String(e) }));
    worker.once("exit", (code) => resolve({ ok: false, reason: `worker exited with code ${code}` }));
    worker.postMessage(task);
    // Awaited: a worker still exiting keeps its range's text (hundreds of MB) until the main thread next idles, which
    // in a run is after the fit (measured: +250 MB under the 25M-row fit's peak).
  }).finally(() => worker.terminate());
}

const TYPES: Record<string, () => DataType> = {
  Int32: () => new Int32(),
  Float64: () => new Float64(),
  Float32: () => new Float32(),
  Int64: () => new Int64(),
};

/** The ranges' columns end to end, or undefined when one range's reading differs from what one thread would give. */
export function joinRanges(replies: readonly RangeReply[]): Table | undefined {
  if (replies.some((r) => !r.ok)) return undefined;
  const parts = replies as Array<Extract<RangeReply, { ok: true }>>;
  const first = parts[0];
  const ncols = first.columns.length;
  if (parts.some((p) => p.columns.length !== ncols || p.names.join("\u0000") !== first.names.join("\u0000"))) return undefined;
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const fields: Field[] = [];
  const children: Data[] = [];
  for (let c = 0; c < ncols; c++) {
    const cols = parts.map((p) => p.columns[c]);
    const type = cols[0].type;
    // Strings (dictionaries to merge) and nulls (bitmaps to shift) are left to the one-thread reader.
    if (!Object.hasOwn(TYPES, type) || cols.some((col) => col.type !== type || col.nullCount > 0)) return undefined;
    for (const [i, col] of cols.entries()) {
      for (const [key] of col.metadata) {
        if (key === FIRST_MISSING_KEY || key === TEXT_REASON_KEY) return undefined;
        if (key === LEADING_ZEROS_KEY && i > 0 && !cols[0].metadata.some(([k]) => k === LEADING_ZEROS_KEY)) return undefined;
      }
    }
    const values = new (cols[0].values.constructor as new (n: number) => (typeof cols)[0]["values"])(rows);
    let at = 0;
    for (const col of cols) {
      values.set(col.values as never, at);
      at += col.values.length;
    }
    const data = makeData({ type: TYPES[type](), length: rows, nullCount: 0, data: values } as never) as Data;
    children.push(data);
    const meta = new Map(cols[0].metadata);
    fields.push(new Field(first.names[c], data.type, true, meta.size ? meta : undefined));
  }
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children });
  return new Table([new RecordBatch(schema, struct)]);
}
