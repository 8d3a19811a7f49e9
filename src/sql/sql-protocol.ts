/**
 * Messages between the main thread (sql-engine.ts) and the DuckDB worker (duckdb-worker.ts). Only typed arrays,
 * numbers and strings cross the thread boundary: never one JavaScript object per row.
 */

/** The column types recpipe's tables hold, as both sides name them. */
export type SqlColumnType = "int32" | "int64" | "float32" | "float64" | "bool" | "string";

export interface SqlColumnSpec {
  name: string;
  type: SqlColumnType;
}

/**
 * One input column's next rows: `values` for numbers (bool as 0/1 bytes), `codes` into the column's labels for
 * strings (-1 = null); `validity` is an LSB-first bitmap of those rows (bit 0 = first row), absent when all are valid.
 */
export interface SqlColumnSlice {
  values?: Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array;
  codes?: Int32Array;
  validity?: Uint8Array;
}

/** One output column: numbers in `values`; strings as `codes` (-1 = null) over `labels`; Arrow validity bits. */
export interface SqlResultColumn {
  name: string;
  type: SqlColumnType;
  values?: Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array;
  codes?: Int32Array;
  labels?: string[];
  /** Arrow's LSB-first validity bitmap, absent when no row is null. */
  validity?: Uint8Array;
  nullCount: number;
}

export type SqlRequest =
  /** Checks and rewrites `statement`, then runs it on an empty input of `columns`: the output columns. */
  | { op: "describe"; statement: string; columns: SqlColumnSpec[] }
  /**
   * Whether `statement` only filters rows (`SELECT * FROM __THIS__ WHERE p`): then `filterColumns` names the columns
   * `p` reads, and a `positions` run needs only those uploaded; otherwise `filterColumns` is null.
   */
  | { op: "plan"; statement: string; columns: string[] }
  /** Starts an input table of `columns` (string columns carry their labels) for a `run` or `positions`. */
  | { op: "begin"; columns: SqlColumnSpec[]; labels: (string[] | null)[]; positions?: boolean }
  | { op: "append"; length: number; slices: SqlColumnSlice[] }
  /** Runs `statement` on the rows appended since `begin` and returns every output column. */
  | { op: "run"; statement: string }
  /** Runs a filter-only `statement` (see `plan`) and returns the positions of the rows it keeps, ascending. */
  | { op: "positions"; statement: string }
  /** The statement as DuckDB will run it (after the Spark-dialect rewrite), for tests and docs. */
  | { op: "rewrite"; statement: string };

/**
 * `kind` says whose fault a failure is: `refused` (a construct recpipe will not run), `syntax`, `bind` (unknown
 * column, function or type), `runtime` (e.g. division by zero in the data), `internal` (a recpipe bug).
 */
export type SqlReply =
  | { ok: true; columns?: SqlSpecOrResult[]; sql?: string; filterColumns?: string[] | null; positions?: Int32Array }
  | { ok: false; kind: "refused" | "syntax" | "bind" | "runtime" | "internal"; message: string };

export type SqlSpecOrResult = SqlColumnSpec | SqlResultColumn;
