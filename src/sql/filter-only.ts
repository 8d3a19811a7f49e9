/**
 * The commonest SQLTransformer statement in a notebook's cleaning is a row filter, `SELECT * FROM __THIS__ WHERE p`.
 * Its output is the input's rows where `p` is true, in order, with the input's columns untouched, so the local
 * engine need not send every column to DuckDB and copy every column back: it uploads only the columns `p` reads,
 * asks for the positions of the kept rows, and takes those rows from the input table itself (sql-engine.ts).
 *
 * This module recognises such a statement in DuckDB's parse tree (json_serialize_sql) and rewrites it to select the
 * positions. Anything else (other select lists, grouping, ordering, limits, DISTINCT, CTEs, joins, subqueries in the
 * predicate) takes the general path, which gives the same rows for a filter anyway.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Node = { [k: string]: Json };

/** The column that carries each input row's position in the positions view of `__THIS__`. */
export const POSITION_COLUMN = "__recpipe_position__";

const isNode = (j: Json | undefined): j is Node => typeof j === "object" && j !== null && !Array.isArray(j);
const empty = (j: Json | undefined): boolean => j === null || j === undefined || (Array.isArray(j) && j.length === 0);

function selectNode(tree: Json): Node | undefined {
  if (!isNode(tree) || tree.error !== false || !Array.isArray(tree.statements) || tree.statements.length !== 1) return undefined;
  const st = tree.statements[0];
  if (!isNode(st) || !empty(st.named_param_map)) return undefined;
  const node = st.node;
  return isNode(node) && node.type === "SELECT_NODE" ? node : undefined;
}

function isPlainStar(e: Json): boolean {
  if (!isNode(e) || e.class !== "STAR" || e.columns !== false || e.expr !== null) return false;
  if (e.alias !== "" || !(e.relation_name === "" || String(e.relation_name).toLowerCase() === "__this__")) return false;
  return ["exclude_list", "replace_list", "qualified_exclude_list", "rename_list"].every((k) => empty(e[k]));
}

function isThisTable(t: Json): boolean {
  if (!isNode(t) || t.type !== "BASE_TABLE" || String(t.table_name).toLowerCase() !== "__this__") return false;
  return t.schema_name === "" && t.catalog_name === "" && t.sample === null && empty(t.column_name_alias) && (t.at_clause ?? null) === null;
}

/** The names every column reference in `e` ends with; undefined when `e` holds a subquery (it reads more than rows). */
function columnNames(e: Json, out: Set<string>): boolean {
  if (Array.isArray(e)) return e.every((x) => columnNames(x, out));
  if (!isNode(e)) return true;
  if (e.class === "SUBQUERY" || e.type === "SELECT_NODE") return false;
  if (e.class === "COLUMN_REF" && Array.isArray(e.column_names)) out.add(String(e.column_names.at(-1)).toLowerCase());
  return Object.values(e).every((x) => columnNames(x, out));
}

/**
 * For a filter-only statement, the input columns its predicate reads (in input order, as the input names them);
 * undefined for any other statement, or when a reference is not an input column name (a lambda's parameter, say),
 * or when the predicate reads no column (the general path handles those).
 */
export function filterOnlyColumns(tree: Json, inputColumns: readonly string[]): string[] | undefined {
  const node = selectNode(tree);
  if (!node) return undefined;
  const cte = node.cte_map;
  if (!empty(node.modifiers) || !(isNode(cte) && empty(cte.map))) return undefined;
  if (!Array.isArray(node.select_list) || node.select_list.length !== 1 || !isPlainStar(node.select_list[0])) return undefined;
  if (!isThisTable(node.from_table) || !isNode(node.where_clause)) return undefined;
  if (!empty(node.group_expressions) || !empty(node.group_sets) || node.aggregate_handling !== "STANDARD_HANDLING") return undefined;
  if (node.having !== null || node.sample !== null || (node.qualify ?? null) !== null) return undefined;
  const names = new Set<string>();
  if (!columnNames(node.where_clause, names) || names.size === 0) return undefined;
  const lower = inputColumns.map((c) => c.toLowerCase());
  if ([...names].some((n) => !lower.includes(n))) return undefined;
  return inputColumns.filter((_, j) => names.has(lower[j]));
}

/** The filter-only statement's tree with its select list replaced by the position column. */
export function positionsTree(tree: Json): Json {
  const copy = JSON.parse(JSON.stringify(tree)) as Json;
  const node = selectNode(copy)!;
  node.select_list = [{ class: "COLUMN_REF", type: "COLUMN_REF", alias: "", query_location: 0, column_names: [POSITION_COLUMN] }];
  return copy;
}
