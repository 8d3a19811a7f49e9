/**
 * The worker thread that owns the process's one DuckDB instance. It exists because a stage's `transformSchema` is
 * synchronous while DuckDB's Node API is not: the main thread blocks on a shared flag until this thread answers
 * (sql-engine.ts). Requests and replies are in sql-protocol.ts; columns cross as typed arrays.
 *
 * The instance is sandboxed before any statement runs (duckdb-sandbox.ts).
 */
import {
  DuckDBTypeId,
  type DuckDBConnection,
  type DuckDBType,
  DuckDBDataChunk,
  ENUM,
  INTEGER,
  VARCHAR,
  BIGINT,
  DOUBLE,
  FLOAT,
  BOOLEAN,
} from "@duckdb/node-api";
import duckdb from "@duckdb/node-bindings";
import { workerData, type MessagePort } from "node:worker_threads";
import { openSandboxedDuckDB } from "./duckdb-sandbox.js";
import type { SqlColumnSlice, SqlColumnSpec, SqlColumnType, SqlReply, SqlRequest, SqlResultColumn } from "./sql-protocol.js";
import { RefusedConstruct, rewriteSparkTokens } from "./spark-sql-lexer.js";
import { rewriteSparkTree, writeTree } from "./spark-sql-tree.js";
import { filterOnlyColumns, POSITION_COLUMN, positionsTree } from "./filter-only.js";

/** The statement as DuckDB runs it: Spark's lexical forms rewritten, then its parse tree checked and rewritten. */
export async function rewriteStatement(conn: DuckDBConnection, statement: string): Promise<string> {
  const { sql, mentionsThis } = rewriteSparkTokens(statement);
  if (!mentionsThis) throw new RefusedConstruct("a statement without __THIS__", "expected a SELECT reading __THIS__ (the input table)");
  // Positions absent from the tree are uint64 max, which a JavaScript number cannot hold; none is needed here.
  const parsed = await parseTree(conn, sql);
  if (parsed.error) {
    const msg = String(parsed.error_message);
    if (/Only SELECT statements/i.test(msg)) throw new RefusedConstruct(firstWord(statement), "expected one SELECT statement");
    throw new SqlFailure("syntax", msg);
  }
  return (await scalarText(conn, "SELECT json_deserialize_sql($1::JSON)", writeTree(rewriteSparkTree(parsed)))).trim();
}

async function parseTree(conn: DuckDBConnection, sql: string) {
  const text = (await scalarText(conn, "SELECT json_serialize_sql($1::VARCHAR)", sql)).replace(/"query_location":\d+/g, '"query_location":0');
  return JSON.parse(text);
}

/** The last `plan` request's statement and result, which the `positions` run that follows it reuses. */
let planned: { statement: string; tree: Awaited<ReturnType<typeof parseTree>>; columns: string[] | undefined } | undefined;

/** A filter-only statement's rewritten tree and the input columns its predicate reads (filter-only.ts). */
async function filterPlan(conn: DuckDBConnection, statement: string, columns: readonly string[]) {
  const tree = await parseTree(conn, await rewriteStatement(conn, statement));
  planned = { statement, tree, columns: filterOnlyColumns(tree, columns) };
  return planned;
}

/** The positions (ascending) of the input rows a filter-only statement keeps. */
async function positions(conn: DuckDBConnection, statement: string, inp: Input): Promise<Int32Array> {
  const plan =
    planned?.statement === statement
      ? planned
      : await filterPlan(
          conn,
          statement,
          inp.columns.map((c) => c.name),
        );
  if (!plan.columns) throw new Error("positions of a statement that is not a filter");
  const sql = (await scalarText(conn, "SELECT json_deserialize_sql($1::JSON)", JSON.stringify(positionsTree(plan.tree)))).trim();
  const result = await runQuery(conn, sql);
  const parts: Int32Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, 0), n * 4);
    parts.push(new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + n * 4)));
    total += n;
  }
  const out = new Int32Array(total);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  // One thread and preserve_insertion_order give input order; sorting keeps the promise should either change.
  for (let i = 1; i < total; i++)
    if (out[i] < out[i - 1]) {
      out.sort();
      break;
    }
  return out;
}

function firstWord(s: string): string {
  return s.trim().split(/\s+/)[0]?.toUpperCase() || "an empty statement";
}

async function scalarText(conn: DuckDBConnection, sql: string, arg: string): Promise<string> {
  const reader = await conn.runAndReadAll(sql, [arg]);
  return String(reader.getRows()[0][0]);
}

class SqlFailure extends Error {
  constructor(
    readonly kind: "syntax" | "bind" | "runtime",
    message: string,
  ) {
    super(message);
  }
}

const duckType = (t: SqlColumnType): DuckDBType => ({ int32: INTEGER, int64: BIGINT, float32: FLOAT, float64: DOUBLE, bool: BOOLEAN, string: VARCHAR })[t];
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The current input: its columns; for string columns the ENUM type their codes are written in, and `remap` from a
 * label's index to its position in that ENUM when DuckDB ordered the members differently.
 */
interface Input {
  columns: SqlColumnSpec[];
  enums: (DuckDBType | null)[];
  enumWidth: number[];
  remap: (Uint32Array | null)[];
}
let input: Input | undefined;
let connection: Promise<DuckDBConnection> | undefined;
const CHUNK_ROWS = 2048;

/**
 * Creates `__input__` (strings as ENUMs over their labels, so only codes are copied) and the view `__THIS__` that
 * shows them as VARCHAR, as Spark sees them. The ENUM is built from a table of the labels, not from SQL text, so a
 * million labels cost no parsing.
 */
async function begin(conn: DuckDBConnection, columns: SqlColumnSpec[], labels: (string[] | null)[], withPositions = false): Promise<Input> {
  // A failed run leaves its input behind; its ENUM types can only be replaced once no table uses them.
  await conn.run("DROP VIEW IF EXISTS __THIS__");
  await conn.run("DROP TABLE IF EXISTS __input__");
  const enums: (DuckDBType | null)[] = [];
  const remap: (Uint32Array | null)[] = [];
  const defs: string[] = [];
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j];
    const labs = labels[j] ?? [];
    if (c.type !== "string" || labs.length === 0) {
      enums.push(null);
      remap.push(null);
      defs.push(`${quote(c.name)} ${duckType(c.type).toString()}`);
      continue;
    }
    await conn.run(`CREATE OR REPLACE TEMP TABLE __labels_${j} (v VARCHAR)`);
    const appender = await conn.createAppender(`__labels_${j}`, "main", "temp");
    for (const l of labs) {
      appender.appendVarchar(l);
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    await conn.run(`DROP TYPE IF EXISTS __in_${j}`);
    await conn.run(`CREATE TYPE __in_${j} AS ENUM (SELECT v FROM __labels_${j})`);
    await conn.run(`DROP TABLE __labels_${j}`);
    const members = (await conn.runAndReadAll(`SELECT unnest(enum_range(NULL::__in_${j}))`)).getRows().map((r) => String(r[0]));
    const position = new Map(members.map((m, i) => [m, i]));
    const map = new Uint32Array(labs.length);
    let identity = members.length === labs.length;
    for (let i = 0; i < labs.length; i++) {
      map[i] = position.get(labs[i])!;
      if (map[i] !== i) identity = false;
    }
    enums.push(ENUM(members));
    remap.push(identity ? null : map);
    defs.push(`${quote(c.name)} __in_${j}`);
  }
  await conn.run(`CREATE OR REPLACE TEMP TABLE __input__ (${defs.join(", ") || "__empty__ INTEGER"})`);
  const shown = columns.map((c, j) => (enums[j] ? `CAST(${quote(c.name)} AS VARCHAR) AS ${quote(c.name)}` : quote(c.name)));
  if (withPositions) shown.push(`CAST(rowid AS INTEGER) AS ${POSITION_COLUMN}`);
  await conn.run(`CREATE OR REPLACE TEMP VIEW __THIS__ AS SELECT ${shown.join(", ") || "*"} FROM __input__`);
  const enumWidth = enums.map((e) => (e ? enumBytes(e) : 0));
  return { columns, enums, enumWidth, remap };
}

function enumBytes(t: DuckDBType): number {
  const logical = t.toLogicalType().logical_type;
  const internal = duckdb.enum_internal_type(logical);
  return internal === duckdb.Type.UTINYINT ? 1 : internal === duckdb.Type.USMALLINT ? 2 : 4;
}

async function append(conn: DuckDBConnection, inp: Input, length: number, slices: SqlColumnSlice[]): Promise<void> {
  if (inp.columns.length === 0) return;
  const appender = await conn.createAppender("__input__", "main", "temp");
  const types = inp.columns.map((c, j) => inp.enums[j] ?? duckType(c.type));
  for (let start = 0; start < length; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, length - start);
    const chunk = DuckDBDataChunk.create(types, n);
    for (let j = 0; j < inp.columns.length; j++) {
      const vec = duckdb.data_chunk_get_vector(chunk.chunk, j);
      const s = slices[j];
      if (s.codes && inp.enums[j]) {
        const codes = s.codes.subarray(start, start + n);
        const width = inp.enumWidth[j];
        const map = inp.remap[j];
        const out = width === 1 ? new Uint8Array(n) : width === 2 ? new Uint16Array(n) : new Uint32Array(n);
        for (let i = 0; i < n; i++) out[i] = codes[i] < 0 ? 0 : map ? map[codes[i]] : codes[i];
        duckdb.copy_data_to_vector(vec, 0, out.buffer, 0, out.byteLength);
      } else if (s.codes) {
        // A string column with no labels holds only nulls: its validity (below, or here) says so.
        if (!s.validity) s.validity = new Uint8Array((length + 7) >> 3);
      } else {
        const v = s.values!;
        const bytes = v.BYTES_PER_ELEMENT;
        duckdb.copy_data_to_vector(vec, 0, v.buffer as ArrayBuffer, v.byteOffset + start * bytes, n * bytes);
      }
      if (s.validity) {
        // Slices start at a multiple of 2048 rows, so this chunk's bits start on a byte boundary.
        duckdb.vector_ensure_validity_writable(vec);
        const from = start >> 3;
        const count = Math.min((n + 7) >> 3, s.validity.length - from);
        const words = new Uint8Array(((n + 63) >> 6) * 8).fill(0xff);
        words.set(s.validity.subarray(from, from + count));
        duckdb.copy_data_to_vector_validity(vec, 0, words.buffer, 0, words.byteLength);
      }
    }
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
}

/** recpipe's type for a DuckDB result type, and the cast that gets it there; undefined: not representable. */
function resultType(t: DuckDBType): { type: SqlColumnType; cast?: string } | undefined {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return { type: "bool" };
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return { type: "int32", cast: t.typeId === DuckDBTypeId.INTEGER ? undefined : "INTEGER" };
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      // DuckDB's sum of integers is a HUGEINT where Spark's is a bigint.
      return { type: "int64", cast: t.typeId === DuckDBTypeId.BIGINT ? undefined : "BIGINT" };
    case DuckDBTypeId.FLOAT:
      return { type: "float32" };
    case DuckDBTypeId.DOUBLE:
      return { type: "float64" };
    case DuckDBTypeId.DECIMAL:
      // Spark keeps decimals (1.5 is a decimal literal in both); recpipe's tables hold doubles.
      return { type: "float64", cast: "DOUBLE" };
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return { type: "string" };
    case DuckDBTypeId.SQLNULL:
      return { type: "int32", cast: "INTEGER" };
    default:
      return undefined;
  }
}

/** The statement's output columns, from DuckDB's binder (a prepared statement is bound, not run). */
async function describe(conn: DuckDBConnection, sql: string): Promise<{ name: string; duck: DuckDBType; mapped: { type: SqlColumnType; cast?: string } }[]> {
  let prepared;
  try {
    prepared = await conn.prepare(sql);
  } catch (e) {
    throw classify(e);
  }
  const seen = new Set<string>();
  const out = [];
  for (let j = 0; j < prepared.columnCount; j++) {
    const name = prepared.columnName(j);
    const duck = prepared.columnType(j);
    if (seen.has(name.toLowerCase())) throw new SqlFailure("bind", `the statement returns two columns named "${name}": give them different names with AS`);
    seen.add(name.toLowerCase());
    const mapped = resultType(duck);
    if (!mapped)
      throw new SqlFailure("bind", `output column "${name}" has type ${duck.toString()}; recpipe tables hold integers, doubles, floats, booleans and strings`);
    out.push({ name, duck, mapped });
  }
  prepared.destroySync();
  return out;
}

async function runQuery(conn: DuckDBConnection, sql: string) {
  try {
    return await conn.run(sql);
  } catch (e) {
    throw classify(e);
  }
}

function classify(e: unknown): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const head = msg.split("\n\nLINE")[0].replace(/\n+/g, " ").trim();
  if (/^Parser Error/i.test(head)) return new SqlFailure("syntax", head);
  if (/^(Binder|Catalog) Error/i.test(head)) return new SqlFailure("bind", head);
  return new SqlFailure("runtime", head);
}

async function run(conn: DuckDBConnection, statement: string): Promise<SqlResultColumn[]> {
  const sql = await rewriteStatement(conn, statement);
  const cols = await describe(conn, sql);
  await runQuery(conn, `CREATE OR REPLACE TEMP TABLE __result__ AS ${sql}`);
  const rows = Number((await conn.runAndReadAll("SELECT count(*) FROM __result__")).getRows()[0][0]);
  const select: string[] = [];
  const labels: (string[] | undefined)[] = [];
  for (let j = 0; j < cols.length; j++) {
    const c = cols[j];
    const ref = `__result__.${quote(c.name)}`;
    if (c.mapped.type === "string") {
      // Strings come back as dictionary codes: DuckDB builds the dictionary (an ENUM of the distinct values) and
      // casts the column to it, so only codes are copied and one string per distinct value is decoded.
      await conn.run(`DROP TYPE IF EXISTS __out_${j}`);
      await conn.run(`CREATE TYPE __out_${j} AS ENUM (SELECT DISTINCT CAST(${ref} AS VARCHAR) FROM __result__ WHERE ${ref} IS NOT NULL)`);
      const reader = await conn.runAndReadAll(`SELECT unnest(enum_range(NULL::__out_${j}))`);
      labels[j] = reader.getRows().map((r) => String(r[0]));
      select.push(labels[j]!.length === 0 ? `CAST(NULL AS UTINYINT)` : `CAST(CAST(${ref} AS VARCHAR) AS __out_${j})`);
    } else select.push(c.mapped.cast ? `CAST(${ref} AS ${c.mapped.cast})` : ref);
  }
  const out = cols.map((c, j): SqlResultColumn => ({ name: c.name, type: c.mapped.type, nullCount: 0, ...(labels[j] ? { labels: labels[j] } : {}) }));
  const buffers = cols.map((c) => newColumnBuffer(c.mapped.type, rows));
  const validity = cols.map(() => new Uint8Array((rows + 7) >> 3).fill(0xff));
  if (cols.length > 0 && rows > 0) {
    const result = await runQuery(conn, `SELECT ${select.join(", ")} FROM __result__`);
    let at = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      for (let j = 0; j < cols.length; j++) {
        const vec = duckdb.data_chunk_get_vector(chunk.chunk, j);
        const buf = buffers[j];
        const width = cols[j].mapped.type === "string" ? enumWidthOf(vec) : buf.BYTES_PER_ELEMENT;
        const bytes = duckdb.vector_get_data(vec, n * width);
        if (cols[j].mapped.type === "string") {
          const codes =
            width === 1 ? bytes : width === 2 ? new Uint16Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(bytes.buffer, bytes.byteOffset, n);
          (buf as Int32Array).set(codes, at);
        } else new Uint8Array(buf.buffer, buf.byteOffset + at * width, n * width).set(bytes.subarray(0, n * width));
        const valid = duckdb.vector_get_validity(vec, ((n + 63) >> 6) * 8);
        if (valid && valid.length > 0) {
          // DuckDB's validity words are LSB-first like Arrow's bitmap; `at` is a multiple of 2048 except for the last chunk.
          for (let i = 0; i < n; i++) if (!(valid[i >> 3] & (1 << (i & 7)))) validity[j][(at + i) >> 3] &= ~(1 << ((at + i) & 7));
        }
      }
      at += n;
    }
  }
  for (let j = 0; j < cols.length; j++) {
    let nulls = 0;
    const v = validity[j];
    for (let i = 0; i < rows; i++) if (!(v[i >> 3] & (1 << (i & 7)))) nulls++;
    out[j].nullCount = nulls;
    if (nulls > 0) out[j].validity = v;
    if (cols[j].mapped.type === "string") {
      const codes = buffers[j] as Int32Array;
      if (nulls > 0) for (let i = 0; i < rows; i++) if (!(v[i >> 3] & (1 << (i & 7)))) codes[i] = -1;
      out[j].codes = codes;
    } else out[j].values = buffers[j] as SqlResultColumn["values"];
  }
  for (let j = 0; j < cols.length; j++) if (cols[j].mapped.type === "string") await conn.run(`DROP TYPE IF EXISTS __out_${j}`);
  await conn.run("DROP TABLE IF EXISTS __result__");
  return out;
}

function enumWidthOf(vec: duckdb.Vector): number {
  const t = duckdb.vector_get_column_type(vec);
  if (duckdb.get_type_id(t) !== duckdb.Type.ENUM) return 1; // the all-null placeholder (UTINYINT)
  const internal = duckdb.enum_internal_type(t);
  return internal === duckdb.Type.UTINYINT ? 1 : internal === duckdb.Type.USMALLINT ? 2 : 4;
}

function newColumnBuffer(type: SqlColumnType, rows: number): Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array {
  switch (type) {
    case "int32":
    case "string":
      return new Int32Array(rows);
    case "int64":
      return new BigInt64Array(rows);
    case "float32":
      return new Float32Array(rows);
    case "float64":
      return new Float64Array(rows);
    case "bool":
      return new Uint8Array(rows);
  }
}

async function handle(req: SqlRequest): Promise<SqlReply> {
  connection ??= openSandboxedDuckDB();
  const conn = await connection;
  switch (req.op) {
    case "rewrite":
      return { ok: true, sql: await rewriteStatement(conn, req.statement) };
    case "describe": {
      const sql = await rewriteStatement(conn, req.statement);
      await begin(
        conn,
        req.columns,
        req.columns.map(() => []),
      );
      const cols = await describe(conn, sql);
      return { ok: true, columns: cols.map((c) => ({ name: c.name, type: c.mapped.type })), sql };
    }
    case "plan":
      return { ok: true, filterColumns: (await filterPlan(conn, req.statement, req.columns)).columns ?? null };
    case "begin":
      input = await begin(conn, req.columns, req.labels, req.positions);
      return { ok: true };
    case "append":
      if (!input) throw new Error("append before begin");
      await append(conn, input, req.length, req.slices);
      return { ok: true };
    case "run": {
      const columns = await run(conn, req.statement);
      await conn.run("DROP VIEW IF EXISTS __THIS__");
      await conn.run("DROP TABLE IF EXISTS __input__");
      input = undefined;
      return { ok: true, columns };
    }
    case "positions": {
      if (!input) throw new Error("positions before begin");
      const kept = await positions(conn, req.statement, input);
      await conn.run("DROP VIEW IF EXISTS __THIS__");
      await conn.run("DROP TABLE IF EXISTS __input__");
      input = undefined;
      return { ok: true, positions: kept };
    }
  }
}

function replyFor(e: unknown): SqlReply {
  if (e instanceof RefusedConstruct) return { ok: false, kind: "refused", message: e.message };
  if (e instanceof SqlFailure) return { ok: false, kind: e.kind, message: e.message };
  const c = classify(e) as SqlFailure;
  if (c.kind !== "runtime") return { ok: false, kind: c.kind, message: c.message };
  return { ok: false, kind: "internal", message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

const { port, flag } = workerData as { port: MessagePort; flag: Int32Array };
port.on("message", (req: SqlRequest) => {
  handle(req)
    .catch(replyFor)
    .then((reply) => {
      const transfer: ArrayBuffer[] = reply.ok && reply.positions ? [reply.positions.buffer as ArrayBuffer] : [];
      for (const c of (reply.ok && reply.columns) || []) {
        const r = c as SqlResultColumn;
        for (const a of [r.values, r.codes, r.validity]) if (a) transfer.push(a.buffer as ArrayBuffer);
      }
      port.postMessage(reply, transfer);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
});
