/**
 * The DuckDB instance statements run in, configured before any statement runs: no file system, no network, no
 * extension loading, and the configuration locked so that no statement can undo it (SET and PRAGMA fail).
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/** Settings fixed at start-up (DuckDB's configuration options), before the configuration is locked. */
export const SANDBOX_CONFIG: Readonly<Record<string, string>> = {
  enable_external_access: "false",
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
  allow_community_extensions: "false",
  // Spark sorts nulls first ascending and last descending; DuckDB's default is last both ways.
  default_null_order: "nulls_first_on_asc_last_on_desc",
  // One thread: a statement's output order (GROUP BY, DISTINCT, windows) is then the same on every run.
  threads: "1",
  preserve_insertion_order: "true",
  // DuckDB's allocator keeps freed memory for reuse unless a task peaked above these (128 and 512 MiB by default):
  // a run's SQL step would then hold on to the memory of every slice it processed while the rest of the run goes on.
  allocator_flush_threshold: "16MiB",
  allocator_bulk_deallocation_flush_threshold: "16MiB",
};

/** The Spark semantics the rewrite calls (spark-sql-tree.ts); created once, before the lock. */
const MACROS = [
  // Spark 4 (ANSI) raises DIVIDE_BY_ZERO for x / 0, x % 0 and x div 0; DuckDB returns NULL.
  `CREATE MACRO __spark_divisor(d) AS CASE WHEN d = 0 THEN error('[DIVIDE_BY_ZERO] Division by zero') ELSE d END`,
  // Spark's div is a bigint, truncated toward zero (DuckDB's // on integers too); on fractions the two differ.
  `CREATE MACRO __spark_div(a, b) AS CASE WHEN typeof(a) NOT IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT') OR typeof(b) NOT IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT') THEN error('div of non-integer values: cast both sides to INT or BIGINT first (Spark and DuckDB treat fractions differently)') ELSE CAST(a // __spark_divisor(b) AS BIGINT) END`,
  `CREATE MACRO __spark_ln(x) AS CASE WHEN x > 0 THEN ln(x) END`,
  `CREATE MACRO __spark_log10(x) AS CASE WHEN x > 0 THEN log10(x) END`,
  `CREATE MACRO __spark_log2(x) AS CASE WHEN x > 0 THEN log2(x) END`,
  `CREATE MACRO __spark_log(b, x) AS CASE WHEN b > 0 AND x > 0 THEN ln(x) / ln(b) END`,
  `CREATE MACRO __spark_log1p(x) AS CASE WHEN x > -1 THEN ln(1 + x) END`,
  `CREATE MACRO __spark_sqrt(x) AS CASE WHEN x < 0 THEN CAST('NaN' AS DOUBLE) ELSE sqrt(x) END`,
  // Java writes doubles >= 1e7 or < 1e-3 in E notation, NaN and Infinity in words; DuckDB does not. Those rows are
  // refused at run time rather than written differently.
  `CREATE MACRO __spark_string(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND (isnan(CAST(x AS DOUBLE)) OR isinf(CAST(x AS DOUBLE)) OR abs(CAST(x AS DOUBLE)) >= 1e7 OR (abs(CAST(x AS DOUBLE)) < 1e-3 AND CAST(x AS DOUBLE) <> 0)) THEN error('a floating-point value Spark writes in E notation (or NaN/Infinity) was cast to a string: Spark and DuckDB write it differently') WHEN typeof(x) LIKE 'DECIMAL%' THEN error('a decimal value was cast to a string: Spark and DuckDB write it differently') ELSE CAST(x AS VARCHAR) END`,
];

/** A DuckDB connection in the sandbox: the settings above, the macros, then the configuration locked. */
export async function openSandboxedDuckDB(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(":memory:", { ...SANDBOX_CONFIG });
  const conn = await instance.connect();
  for (const m of MACROS) await conn.run(m);
  await conn.run("SET lock_configuration = true");
  return conn;
}
