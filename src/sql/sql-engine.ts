/**
 * recpipe's local SQL engine for Spark SQL statements (SQLTransformer): DuckDB, in one worker thread per process,
 * started on first use so that a command that runs no statement never loads it. Calls are synchronous (the main
 * thread waits on a shared flag) because `transformSchema` is; columns go over as typed arrays and come back as
 * typed arrays (strings as dictionary codes), never as one object per row.
 *
 * Public entry points: `describeSql(schema, statement, where)` (the output schema, running nothing on data, as Spark's
 * transformSchema) and `runSql(table, statement, where)` (the output table). `where` names the key in errors.
 */
import {
  Bool,
  DataType,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Schema,
  Table,
  Utf8,
  vectorFromArray,
  type Vector,
} from "apache-arrow";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { InputError, RecpipeError } from "../core/errors.js";
import { stringCodes } from "../core/string-codes.js";
import { describeType, isValid, takeRows } from "../core/table.js";
import type { SqlColumnSlice, SqlColumnSpec, SqlColumnType, SqlReply, SqlRequest, SqlResultColumn } from "./sql-protocol.js";

/** Rows sent to the worker per message: bounds the extra copy of the input to one slice (a multiple of 2048). */
const SLICE_ROWS = 1 << 20;

interface Channel {
  port: MessagePort;
  flag: Int32Array;
  worker: Worker;
}
let channel: Channel | undefined;

/**
 * Under vitest/tsx the worker entry is TypeScript, which a Node 20 worker cannot load without tsx's hooks (see
 * src/workers/topk-pool.ts, whose bootstrap this follows). The bootstrap also answers the first call with the error
 * if the entry fails to load, since the blocked main thread would never see the worker's error event.
 */
function open(): Channel {
  const here = import.meta.url;
  const ts = here.endsWith(".ts");
  const entry = new URL(ts ? "./duckdb-worker.ts" : "./duckdb-worker.js", here).href;
  const register = ts
    ? `await import(${JSON.stringify(pathToFileURL(join(dirname(createRequire(here).resolve("tsx/package.json")), "dist", "esm", "api", "index.mjs")).href)}).then((m) => m.register());`
    : "";
  const bootstrap = `
    const { workerData } = await import("node:worker_threads");
    try { ${register} await import(${JSON.stringify(entry)}); }
    catch (e) {
      workerData.port.on("message", () => {
        workerData.port.postMessage({ ok: false, kind: "internal", message: "the SQL engine (DuckDB) could not start: " + (e && e.stack || e) });
        Atomics.store(workerData.flag, 0, 1); Atomics.notify(workerData.flag, 0);
      });
    }`;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(bootstrap, { eval: true, workerData: { port: port2, flag }, transferList: [port2] });
  worker.unref();
  port1.unref();
  return { port: port1, flag, worker };
}

/**
 * Stops the engine's worker: DuckDB's library state and the memory its allocator keeps (about 100 MB after a
 * statement over 10M rows) go back to the system. The next statement starts a new one (about 0.25 s).
 */
export async function closeSqlEngine(): Promise<void> {
  const c = channel;
  channel = undefined;
  if (c) await c.worker.terminate();
}

function call(req: SqlRequest, transfer: ArrayBuffer[] = []): SqlReply & { ok: true } {
  channel ??= open();
  const { port, flag } = channel;
  Atomics.store(flag, 0, 0);
  port.postMessage(req, transfer);
  Atomics.wait(flag, 0, 0);
  const reply = receiveMessageOnPort(port)?.message as SqlReply | undefined;
  if (!reply) throw new RecpipeError("E_INTERNAL", "the SQL engine's worker answered nothing", 1);
  if (!reply.ok) throw new SqlError(reply.kind, reply.message);
  return reply;
}

/** A failure reported by the engine, before it is given the key it concerns (`explain`). */
class SqlError extends Error {
  constructor(
    readonly kind: "refused" | "syntax" | "bind" | "runtime" | "internal",
    message: string,
  ) {
    super(message);
  }
}

function explain(e: unknown, where: string): never {
  if (!(e instanceof SqlError)) throw e;
  switch (e.kind) {
    case "refused":
      throw new InputError(
        "E_SPEC",
        `${where}: expected a Spark SQL SELECT that recpipe's local engine runs exactly as Spark does; found ${e.message} (see docs/sql-transformer.md)`,
      );
    case "syntax":
      throw new InputError("E_SPEC", `${where}: expected a valid SQL SELECT; found a syntax error: ${e.message}`);
    case "bind":
      throw new InputError("E_SPEC", `${where}: the statement does not fit the input columns: ${e.message}`);
    case "runtime":
      throw new InputError("E_DATA", `${where}: the statement failed on the data: ${e.message}`);
    default:
      throw new RecpipeError("E_INTERNAL", `${where}: ${e.message}`, 1);
  }
}

/** The column type recpipe's SQL engine gives an Arrow field, or an InputError naming the column. */
function columnType(f: Field, where: string): SqlColumnType {
  const t = f.type;
  if (DataType.isInt(t)) {
    if (t.bitWidth === 64) return "int64";
    if (t.bitWidth === 32 && !t.isSigned) return "int64";
    return "int32";
  }
  if (DataType.isFloat(t)) return t.precision === 2 ? "float64" : "float32";
  if (DataType.isBool(t)) return "bool";
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t) || (DataType.isDictionary(t) && (DataType.isUtf8(t.dictionary) || DataType.isLargeUtf8(t.dictionary))))
    return "string";
  throw new InputError(
    "E_COLUMN",
    `${where}: column "${f.name}" has type ${describeType(t)}; the SQL engine reads integers, floats, doubles, booleans and strings`,
  );
}

function specsOf(schema: Schema, where: string): SqlColumnSpec[] {
  return schema.fields.map((f) => ({ name: f.name, type: columnType(f, where) }));
}

const arrowType = (t: SqlColumnType): DataType =>
  ({
    int32: new Int32(),
    int64: new Int64(),
    float32: new Float32(),
    float64: new Float64(),
    bool: new Bool(),
    string: new Dictionary(new Utf8(), new Int32()),
  })[t];

/** The output schema of `statement` on input `schema`, checked by DuckDB's binder on an empty input (no data read). */
export function describeSql(schema: Schema, statement: string, where: string): Schema {
  const columns = specsOf(schema, where);
  try {
    const reply = call({ op: "describe", statement, columns });
    return new Schema((reply.columns as SqlColumnSpec[]).map((c) => new Field(c.name, arrowType(c.type), true)));
  } catch (e) {
    explain(e, where);
  }
}

/** The statement as the local engine runs it, after the Spark-dialect rewrite (throws InputError when refused). */
export function rewriteSql(statement: string, where: string): string {
  try {
    return call({ op: "rewrite", statement }).sql as string;
  } catch (e) {
    explain(e, where);
  }
}

/** Runs `statement` (Spark SQL, `__THIS__` = `table`) on the local engine and returns its output as an Arrow table. */
export function runSql(table: Table, statement: string, where: string): Table {
  const all = specsOf(table.schema, where);
  try {
    // A row filter (filter-only.ts) needs only the columns its predicate reads, and its output is rows of the input.
    const filterColumns = call({ op: "plan", statement, columns: all.map((c) => c.name) }).filterColumns;
    const used = filterColumns ? all.flatMap((c, j) => (filterColumns.includes(c.name) ? [j] : [])) : all.map((_, j) => j);
    const columns = used.map((j) => all[j]);
    const inputs = used.map((j) => columnInput(table.getChildAt(j) as Vector, all[j].name, all[j].type, where));
    call({ op: "begin", columns, labels: inputs.map((c) => c.labels ?? null), positions: filterColumns != null });
    if (filterColumns) return takeRows(table, keptPositions(table.numRows, inputs, statement));
    for (let start = 0; start < table.numRows; start += SLICE_ROWS) sendSlice(inputs, start, Math.min(table.numRows, start + SLICE_ROWS));
    const reply = call({ op: "run", statement });
    return tableOf(reply.columns as SqlResultColumn[]);
  } catch (e) {
    explain(e, where);
  }
}

function sendSlice(inputs: ColumnInput[], start: number, end: number): void {
  const slices = inputs.map((c) => c.slice(start, end));
  const transfer = slices.flatMap((s) => [s.codes, s.values, s.validity].filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer));
  call({ op: "append", length: end - start, slices }, transfer);
}

/**
 * A row filter keeps or drops each row on its own values, so it runs one slice at a time: DuckDB then never holds
 * more than a slice of the input (and the main thread no whole-column copy), which bounds the memory a filter adds
 * to the kept positions and the output rows.
 */
function keptPositions(rows: number, inputs: ColumnInput[], statement: string): Int32Array {
  // Shared with the worker, which writes each slice's positions straight into it.
  const kept = new Int32Array(new SharedArrayBuffer(rows * 4));
  let total = 0;
  for (let start = 0; start < rows; start += SLICE_ROWS) {
    const end = Math.min(rows, start + SLICE_ROWS);
    sendSlice(inputs, start, end);
    total += call({ op: "positions", statement, into: kept, at: total, add: start, more: end < rows }).count!;
  }
  return kept.subarray(0, total);
}

/**
 * One column as the worker takes it: string columns as dictionary codes over `labels` (computed once: the ENUM is
 * declared at `begin`), other columns copied a slice at a time from the Arrow chunks, with an Arrow-style validity
 * bitmap (absent without nulls).
 */
interface ColumnInput {
  labels?: string[];
  slice(start: number, end: number): SqlColumnSlice;
}

function columnInput(v: Vector, name: string, type: SqlColumnType, where: string): ColumnInput {
  const validity = (start: number, end: number): Uint8Array | undefined => {
    if (v.nullCount === 0) return undefined;
    const bits = new Uint8Array((end - start + 7) >> 3);
    forEachRun(v, start, end, (d, from, count, o) => {
      for (let i = 0; i < count; i++) if (d.nullCount === 0 || isValid(d.nullBitmap, d.offset + from + i)) bits[(o + i) >> 3] |= 1 << ((o + i) & 7);
    });
    return bits;
  };
  if (type === "string") {
    const { codes, labels } = stringCodes(v, name, where);
    return { labels, slice: (start, end) => ({ codes: codes.slice(start, end), validity: validity(start, end) }) };
  }
  if (type === "bool")
    return {
      slice(start, end) {
        const values = new Uint8Array(end - start);
        for (let i = start; i < end; i++) values[i - start] = v.get(i) ? 1 : 0;
        return { values, validity: validity(start, end) };
      },
    };
  return {
    slice(start, end) {
      const n = end - start;
      const values =
        type === "int32" ? new Int32Array(n) : type === "int64" ? new BigInt64Array(n) : type === "float32" ? new Float32Array(n) : new Float64Array(n);
      forEachRun(v, start, end, (d, from, count, o) => {
        // A sliced chunk's values start at its first row (src/core/table.ts); null rows carry an arbitrary value.
        const src = (d.values as Int32Array | BigInt64Array | BigUint64Array | Float64Array).subarray(from, from + count);
        if (values instanceof BigInt64Array) {
          if (src instanceof BigInt64Array) values.set(src, o);
          else if (src instanceof BigUint64Array) for (let i = 0; i < count; i++) values[o + i] = BigInt.asIntN(64, src[i]);
          else for (let i = 0; i < count; i++) values[o + i] = BigInt(src[i]);
        } else (values as Float64Array).set(src as Float64Array, o);
      });
      return { values, validity: validity(start, end) };
    },
  };
}

/** Calls `f` for each chunk's share of rows [start, end): the chunk, the first row in it, how many, and where they go. */
function forEachRun(v: Vector, start: number, end: number, f: (d: Vector["data"][number], from: number, count: number, out: number) => void): void {
  let base = 0;
  for (const d of v.data) {
    const lo = Math.max(start, base);
    const hi = Math.min(end, base + d.length);
    if (lo < hi) f(d, lo - base, hi - lo, lo - start);
    base += d.length;
    if (base >= end) break;
  }
}

function tableOf(columns: SqlResultColumn[]): Table {
  const out: Record<string, Vector> = {};
  for (const c of columns) {
    const length = (c.codes ?? c.values)!.length;
    const nullBitmap = c.validity;
    const type = arrowType(c.type);
    if (c.type === "string") {
      const codes = c.codes!;
      for (let i = 0; i < length; i++) if (codes[i] < 0) codes[i] = 0;
      const dictionary = vectorFromArray(c.labels ?? [], new Utf8());
      out[c.name] = makeVector(makeData({ type: type as Dictionary<Utf8, Int32>, length, nullCount: c.nullCount, nullBitmap, data: codes, dictionary }));
    } else if (c.type === "bool") {
      const bytes = c.values as Uint8Array;
      const bits = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (bytes[i]) bits[i >> 3] |= 1 << (i & 7);
      out[c.name] = makeVector(makeData({ type: new Bool(), length, nullCount: c.nullCount, nullBitmap, data: bits }));
    } else out[c.name] = makeVector(makeData({ type: type as Int32, length, nullCount: c.nullCount, nullBitmap, data: c.values as Int32Array }));
  }
  return new Table(out);
}
