/**
 * The second half of the Spark SQL -> DuckDB rewrite, on DuckDB's own parse tree (`json_serialize_sql`): checks
 * that the statement is one query reading only `__THIS__`, that every function is one whose Spark meaning the
 * local engine reproduces, and rewrites the ones whose DuckDB meaning differs (table in docs/sql-transformer.md).
 * An allowlist, not a blocklist: an expression, table or function not named here is refused, so a new DuckDB
 * feature can never slip through with a meaning Spark does not share. The tree is plain JSON; this file only reads
 * and rebuilds it, DuckDB turns it back into SQL (`json_deserialize_sql`).
 */
import { RefusedConstruct } from "./spark-sql-lexer.js";

/** Spark functions that mean the same in DuckDB (checked by test/sql/spark-parity.test.ts on real Spark). */
const SAME_MEANING = new Set([
  "abs",
  "exp",
  "pow",
  "power",
  "nullif",
  "lower",
  "upper",
  "lcase",
  "ucase",
  "length",
  "trim",
  "ltrim",
  "rtrim",
  "greatest",
  "least",
  "if",
  "count",
  "count_star",
  "sum",
  "avg",
  "min",
  "max",
]);

/** Spark functions that DuckDB spells or computes differently: the macro or operator (engine setup) that matches. */
const REWRITTEN: Record<string, (args: Json[]) => Json> = {
  // Spark's ln/log10/log2 give null for x <= 0, log(b, x) for b <= 0 or x <= 0, log1p for x <= -1
  // (UnaryLogExpression's yAsymptote); DuckDB raises or gives -inf. Spark's 1-argument log is ln, DuckDB's is log10.
  ln: (a) => call("__spark_ln", a, 1),
  log: (a) => (a.length === 1 ? call("__spark_ln", a, 1) : call("__spark_log", a, 2)),
  log10: (a) => call("__spark_log10", a, 1),
  log2: (a) => call("__spark_log2", a, 1),
  log1p: (a) => call("__spark_log1p", a, 1),
  // Spark's sqrt of a negative number is NaN; DuckDB raises.
  sqrt: (a) => call("__spark_sqrt", a, 1),
  nvl: (a) => coalesce(a, 2),
  ifnull: (a) => coalesce(a, 2),
  mean: (a) => call("avg", a, 1),
  // Spark's concat is null when any argument is null (DuckDB's concat skips nulls; its || does not) and casts
  // numbers to strings as Spark does.
  concat: (a) => {
    if (a.length === 0) throw new RefusedConstruct("concat()", "needs at least one argument");
    return a.map(sparkString).reduce((l, r) => call("||", [l, r], 2, true));
  },
};

const WINDOW_FUNCTIONS = new Set(["count", "count_star", "sum", "avg", "min", "max", "row_number", "rank", "dense_rank"]);

/** Arithmetic operators whose divisor Spark 4 (ANSI) checks: division by zero raises DIVIDE_BY_ZERO there. */
const DIVISIONS = new Set(["/", "%", "//"]);
const OPERATORS = new Set(["+", "-", "*", "||"]);

/** NOT, IS [NOT] NULL, [NOT] IN and coalesce, which DuckDB parses as operators; both engines mean the same. */
const OPERATOR_TYPES = new Set(["OPERATOR_NOT", "OPERATOR_IS_NULL", "OPERATOR_IS_NOT_NULL", "COMPARE_IN", "COMPARE_NOT_IN", "OPERATOR_COALESCE"]);

const INTEGER_TYPES = new Set(["TINYINT", "SMALLINT", "INTEGER", "BIGINT"]);
const CAST_TYPES = new Set([...INTEGER_TYPES, "DOUBLE", "FLOAT", "VARCHAR", "BOOLEAN"]);

type Json = Record<string, unknown> & { class?: string; type?: string };

/** What the check found, for the engine: whether the query reads `__THIS__` at all. */
export interface CheckedTree {
  tree: Json;
}

/**
 * Checks and rewrites the output of `json_serialize_sql` in place; throws RefusedConstruct naming what is not
 * supported. `serialized` is the parsed JSON object DuckDB returned.
 */
export function rewriteSparkTree(serialized: Json): CheckedTree {
  if (serialized.error) throw new Error("rewriteSparkTree: DuckDB reported a parse error");
  const statements = serialized.statements as Json[];
  if (statements.length !== 1) throw new RefusedConstruct(`${statements.length} statements`, "expected exactly one SELECT statement");
  const root = statements[0].node as Json;
  queryNode(root, new Set(), true);
  return { tree: serialized };
}

/** `top`: the statement's own output (its column names are the stage's output columns). */
function queryNode(node: Json, ctes: ReadonlySet<string>, top = false): void {
  const names = new Set(ctes);
  const cteMap = (node.cte_map as { map: { key: string; value: Json }[] } | undefined)?.map ?? [];
  for (const entry of cteMap) {
    const cte = entry.value;
    if (cte.materialized && cte.materialized !== "CTE_MATERIALIZE_DEFAULT") throw new RefusedConstruct(`MATERIALIZED ${entry.key}`, "DuckDB-only syntax");
    queryNode((cte.query as Json).node as Json, names);
    names.add(entry.key.toLowerCase());
  }
  for (const m of (node.modifiers as Json[]) ?? []) modifier(m, names);
  switch (node.type) {
    case "SELECT_NODE":
      return selectNode(node, names, top);
    case "SET_OPERATION_NODE": {
      if (!["UNION", "EXCEPT", "INTERSECT"].includes(node.setop_type as string))
        throw new RefusedConstruct(String(node.setop_type).replace(/_/g, " "), "DuckDB-only set operation");
      const children = (node.children as Json[] | undefined) ?? [node.left as Json, node.right as Json];
      for (const c of children) queryNode(c, names, top);
      return;
    }
    default:
      throw new RefusedConstruct(
        String(node.type)
          .replace(/_NODE$/, "")
          .replace(/_/g, " "),
        "not supported in a sql-transformer statement",
      );
  }
}

function modifier(m: Json, names: ReadonlySet<string>): void {
  switch (m.type) {
    case "ORDER_MODIFIER":
      for (const o of m.orders as Json[]) expression(o.expression as Json, names);
      return;
    case "LIMIT_MODIFIER":
      if (m.limit) expression(m.limit as Json, names);
      if (m.offset) expression(m.offset as Json, names);
      return;
    case "DISTINCT_MODIFIER":
      if ((m.distinct_on_targets as Json[]).length > 0) throw new RefusedConstruct("DISTINCT ON", "DuckDB-only syntax");
      return;
    default:
      throw new RefusedConstruct(
        String(m.type)
          .replace(/_MODIFIER$/, "")
          .replace(/_/g, " "),
        "not supported in a sql-transformer statement",
      );
  }
}

function selectNode(node: Json, names: ReadonlySet<string>, top: boolean): void {
  if (node.sample) throw new RefusedConstruct("TABLESAMPLE / USING SAMPLE", "sampling draws different rows in Spark and DuckDB");
  if (node.aggregate_handling !== "STANDARD_HANDLING") throw new RefusedConstruct("GROUP BY ALL", "DuckDB-only syntax");
  tableRef(node.from_table as Json, names);
  const list = node.select_list as Json[];
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    // Spark names an unnamed output expression after its text (`(rating * 2)`), DuckDB after its own form of it: the
    // output columns would be named differently, so an expression needs its own name.
    if (top && !e.alias && e.class !== "COLUMN_REF" && e.class !== "STAR")
      throw new RefusedConstruct(
        `an output expression without a name (select item ${i + 1})`,
        "Spark and DuckDB name unnamed expressions differently; give it one with AS",
      );
    list[i] = expression(e, names);
  }
  // Spark 4.0's parser has no QUALIFY (PARSE_SYNTAX_ERROR): a file using it would run here and fail on a cluster.
  if (node.qualify) throw new RefusedConstruct("QUALIFY", "DuckDB-only syntax (Spark has none); filter the window in a subquery");
  for (const key of ["where_clause", "having"]) if (node[key]) node[key] = expression(node[key] as Json, names);
  const groups = node.group_expressions as Json[];
  for (let i = 0; i < groups.length; i++) groups[i] = expression(groups[i], names);
}

function tableRef(ref: Json, names: ReadonlySet<string>): void {
  switch (ref.type) {
    case "EMPTY_FROM":
    case "EMPTY":
      return;
    case "BASE_TABLE": {
      const name = ref.table_name as string;
      if (ref.schema_name || ref.catalog_name || ref.at_clause)
        throw new RefusedConstruct(
          `table ${[ref.catalog_name, ref.schema_name, name].filter(Boolean).join(".")}`,
          "a statement reads only __THIS__ (the input table)",
        );
      if (name !== "__THIS__" && !names.has(name.toLowerCase()))
        throw new RefusedConstruct(`table ${name}`, "a statement reads only __THIS__ (the input table) and its own WITH queries");
      if (ref.sample) throw new RefusedConstruct("TABLESAMPLE", "sampling draws different rows in Spark and DuckDB");
      return;
    }
    case "JOIN": {
      if (!["REGULAR", "CROSS", "NATURAL"].includes(ref.ref_type as string)) throw new RefusedConstruct(`${ref.ref_type} JOIN`, "DuckDB-only join");
      tableRef(ref.left as Json, names);
      tableRef(ref.right as Json, names);
      if (ref.condition) ref.condition = expression(ref.condition as Json, names);
      return;
    }
    case "SUBQUERY":
      queryNode((ref.subquery as Json).node as Json, names);
      return;
    case "TABLE_FUNCTION": {
      const fn = (ref.function as Json | undefined)?.function_name ?? "a table function";
      throw new RefusedConstruct(`${fn}(...) in FROM`, "a statement reads only __THIS__ (the input table): no files, no table functions");
    }
    default:
      throw new RefusedConstruct(String(ref.type).replace(/_/g, " ") + " in FROM", "not supported in a sql-transformer statement");
  }
}

/** Checks one expression and returns it, or its rewrite. */
function expression(e: Json, names: ReadonlySet<string>): Json {
  const children = (key: string): void => {
    const list = e[key] as Json[] | undefined;
    if (list) for (let i = 0; i < list.length; i++) list[i] = expression(list[i], names);
  };
  const child = (key: string): void => {
    if (e[key]) e[key] = expression(e[key] as Json, names);
  };
  switch (e.class) {
    case "COLUMN_REF":
      return e;
    case "CONSTANT":
      return constant(e);
    case "STAR":
      if (e.columns || (e.exclude_list as unknown[] | undefined)?.length || (e.replace_list as unknown[] | undefined)?.length || e.expr)
        throw new RefusedConstruct("* EXCLUDE / REPLACE / COLUMNS", "DuckDB-only syntax");
      return e;
    case "COMPARISON":
      child("left");
      child("right");
      return e;
    case "CONJUNCTION":
      children("children");
      return e;
    case "OPERATOR":
      if (!OPERATOR_TYPES.has(e.type as string))
        throw new RefusedConstruct(
          String(e.type)
            .replace(/^(OPERATOR|COMPARE)_/, "")
            .toLowerCase()
            .replace(/_/g, " "),
          "not supported in a sql-transformer statement",
        );
      children("children");
      return e;
    case "BETWEEN":
      child("input");
      child("lower");
      child("upper");
      return e;
    case "CASE":
      for (const check of e.case_checks as Json[]) {
        check.when_expr = expression(check.when_expr as Json, names);
        check.then_expr = expression(check.then_expr as Json, names);
      }
      child("else_expr");
      return e;
    case "SUBQUERY":
      queryNode((e.subquery as Json).node as Json, names);
      child("child");
      return e;
    case "CAST":
      return cast(e, names);
    case "FUNCTION":
      return func(e, names);
    case "WINDOW":
      return windowExpr(e, names);
    default:
      throw new RefusedConstruct(String(e.class).toLowerCase().replace(/_/g, " "), "not supported in a sql-transformer statement");
  }
}

/** Marks an integral double for writeTree (JSON.stringify would write 1e8 as 100000000, which DuckDB reads as an integer). */
const DOUBLE_MARK = "__recpipe_double__";

function constant(e: Json): Json {
  const v = e.value as { type: { id: string }; is_null: boolean; value: unknown };
  if (v.is_null) return e;
  if (typeof v.value === "number" && (v.type.id === "DOUBLE" || v.type.id === "FLOAT") && Number.isInteger(v.value)) v.value = DOUBLE_MARK + String(v.value);
  // JSON.parse has read the literal as a JavaScript number: beyond 2^53 it may already differ from what was written.
  else if (typeof v.value === "number" && Number.isInteger(v.value) && !Number.isSafeInteger(v.value))
    throw new RefusedConstruct(`the integer literal ${v.value}`, "integer literals beyond 2^53 are not supported locally");
  return e;
}

/** The tree as JSON for json_deserialize_sql, integral doubles written as doubles. */
export function writeTree(tree: CheckedTree): string {
  return JSON.stringify(tree.tree)
    .replace(new RegExp(`"${DOUBLE_MARK}(-?[0-9]+)"`, "g"), "$1.0")
    .replace(new RegExp(`"${DOUBLE_MARK}([^"]+)"`, "g"), "$1");
}

function cast(e: Json, names: ReadonlySet<string>): Json {
  const target = (e.cast_type as { id: string }).id;
  if (e.try_cast) throw new RefusedConstruct("TRY_CAST", "Spark's try_cast and DuckDB's accept different strings; not supported locally");
  if (!CAST_TYPES.has(target)) throw new RefusedConstruct(`CAST(... AS ${target})`, `supported cast targets are ${[...CAST_TYPES].join(", ")}`);
  e.child = expression(e.child as Json, names);
  const inner = e.child as Json;
  const isStringConstant = inner.class === "CONSTANT" && (inner.value as { type: { id: string } }).type.id === "VARCHAR";
  // Spark truncates a fraction toward zero when casting to an integer type; DuckDB rounds (CAST(2.7 AS INT) is 3).
  if (INTEGER_TYPES.has(target) && !isStringConstant) e.child = call("trunc", [inner], 1);
  // Spark and DuckDB write some numbers differently as text (1.0E10 vs 10000000000.0): the macro refuses those rows.
  if (target === "VARCHAR") return { ...sparkString(inner), alias: e.alias };
  return e;
}

function func(e: Json, names: ReadonlySet<string>): Json {
  const name = (e.function_name as string).toLowerCase();
  // DuckDB writes a few built-ins (trim) with their schema; anything else qualified is not a Spark function.
  if ((e.schema && e.schema !== "main") || (e.catalog && e.catalog !== "system"))
    throw new RefusedConstruct(`function ${e.schema}.${name}`, "unknown function");
  if (e.filter) throw new RefusedConstruct(`${name}(...) FILTER`, "not supported locally");
  if ((e.order_bys as { orders: unknown[] }).orders.length > 0) throw new RefusedConstruct(`${name}(... ORDER BY ...)`, "DuckDB-only syntax");
  const args = e.children as Json[];
  for (let i = 0; i < args.length; i++) args[i] = expression(args[i], names);
  if (e.is_operator) {
    // `//` only comes from Spark's `div` (the lexer refuses it as written): a bigint, integer operands only.
    if (name === "//") return { ...call("__spark_div", args, 2), alias: e.alias };
    if (DIVISIONS.has(name)) {
      args[1] = call("__spark_divisor", [args[1]], 1);
      return e;
    }
    if (OPERATORS.has(name)) return e;
    throw new RefusedConstruct(`operator ${name}`, "not supported locally");
  }
  if (e.distinct && !["count", "sum", "avg", "min", "max"].includes(name)) throw new RefusedConstruct(`${name}(DISTINCT ...)`, "not supported locally");
  const rewrite = REWRITTEN[name];
  if (rewrite) {
    const out = rewrite(args);
    if (out.class === "FUNCTION") out.distinct = e.distinct;
    out.alias = e.alias;
    return out;
  }
  if (SAME_MEANING.has(name)) return e;
  throw new RefusedConstruct(`function ${name}`, `unknown or not supported by the local engine; supported: ${supportedFunctions().join(", ")}`);
}

function windowExpr(e: Json, names: ReadonlySet<string>): Json {
  const name = (e.function_name as string).toLowerCase();
  if (!WINDOW_FUNCTIONS.has(name)) throw new RefusedConstruct(`window function ${name}`, `supported over a window: ${[...WINDOW_FUNCTIONS].join(", ")}`);
  if (e.ignore_nulls || e.filter_expr || e.exclude_clause !== "NO_OTHER" || e.distinct || (e.arg_orders as unknown[]).length > 0)
    throw new RefusedConstruct(`${name}(...) OVER with IGNORE NULLS / FILTER / EXCLUDE / DISTINCT`, "not supported locally");
  // Spark's default frame with ORDER BY is RANGE UNBOUNDED PRECEDING .. CURRENT ROW, as DuckDB's; explicit frames
  // are refused rather than checked bound by bound.
  const defaultFrame = e.start === "UNBOUNDED_PRECEDING" && e.end === "CURRENT_ROW_RANGE";
  const wholeFrame = e.start === "UNBOUNDED_PRECEDING" && e.end === "UNBOUNDED_FOLLOWING";
  if (!defaultFrame && !wholeFrame)
    throw new RefusedConstruct(`${name}(...) OVER (... ROWS/RANGE BETWEEN ...)`, "explicit window frames are not supported locally");
  for (const key of ["children", "partitions"]) {
    const list = e[key] as Json[];
    for (let i = 0; i < list.length; i++) list[i] = expression(list[i], names);
  }
  for (const o of e.orders as Json[]) o.expression = expression(o.expression as Json, names);
  return e;
}

/** Spark's implicit cast to string (concat, CAST AS STRING), refusing the values DuckDB would write differently. */
function sparkString(arg: Json): Json {
  if (arg.class === "CONSTANT" && (arg.value as { type: { id: string } }).type.id === "VARCHAR") return arg;
  return call("__spark_string", [arg], 1);
}

export function supportedFunctions(): string[] {
  return [...new Set([...SAME_MEANING, ...Object.keys(REWRITTEN), ...WINDOW_FUNCTIONS, "coalesce"])].filter((f) => f !== "count_star").sort();
}

function coalesce(args: Json[], arity: number): Json {
  if (args.length !== arity) throw new RefusedConstruct(`nvl with ${args.length} arguments`, `expects ${arity}`);
  return { class: "OPERATOR", type: "OPERATOR_COALESCE", alias: "", query_location: 0, children: args };
}

/** A FUNCTION node as json_serialize_sql writes one. */
function call(name: string, args: Json[], arity: number, isOperator = false): Json {
  if (args.length !== arity) throw new RefusedConstruct(`${name.replace(/^__spark_/, "")} with ${args.length} arguments`, `expects ${arity}`);
  return {
    class: "FUNCTION",
    type: "FUNCTION",
    alias: "",
    query_location: 0,
    function_name: name,
    schema: "",
    children: args,
    filter: null,
    order_bys: { type: "ORDER_MODIFIER", orders: [] },
    distinct: false,
    is_operator: isOperator,
    export_state: false,
    catalog: "",
  };
}
