/**
 * The table and statements that test/interop/sql-spark-parity.test.ts runs on recpipe's local SQL engine and on real
 * Spark 4: every construct docs/sql-transformer.md lists as supported, each with the values where Spark and DuckDB
 * differ before the rewrite (fractions cast to int, logs of 0 and negatives, nulls in concat and ORDER BY, ...).
 */
import { Bool, Float64, Int64, makeData, makeVector, Table, Utf8, vectorFromArray, type Vector } from "apache-arrow";

export const SQL_COLUMNS = [
  { name: "user", type: "string" },
  { name: "item", type: "int" },
  { name: "rating", type: "double" },
  { name: "ts", type: "bigint" },
  { name: "liked", type: "boolean" },
] as const;

export const SQL_ROWS: (string | number | boolean | null)[][] = [
  ["u1", 1, 4.5, 100, true],
  ["u1", 2, 2.7, 200, false],
  ["u1", 3, -2.5, -1, false],
  ["u2", 1, 0, 150, null],
  ["u2", 4, 5, 300, true],
  ["u2", 2, null, 250, false],
  ["u3", 3, 1, 50, false],
  [null, 5, 3.25, 400, true],
  ["u3", 5, 3.25, -7, true],
  ["U4 ", 6, 1e-5, 500, false],
  ["u1", 1, 4.5, 100, true],
  ["u4", 7, -0.5, null, null],
];

/** The rows above as an Arrow table with recpipe's column types (string, int32, float64, int64, bool), nulls as null. */
export function sqlCasesTable(): Table {
  const col = (j: number) => SQL_ROWS.map((r) => r[j]);
  const withNulls = <T>(vals: (T | null)[], fill: T) => ({
    vals: vals.map((v) => v ?? fill),
    bits: bitmap(vals.map((v) => v !== null)),
    nulls: vals.filter((v) => v === null).length,
  });
  const item = new Int32Array(col(1) as number[]);
  const r = withNulls(col(2) as (number | null)[], 0);
  const t = withNulls(col(3) as (number | null)[], 0);
  const l = withNulls(col(4) as (boolean | null)[], false);
  const liked = new Uint8Array((SQL_ROWS.length + 7) >> 3);
  l.vals.forEach((v, i) => v && (liked[i >> 3] |= 1 << (i & 7)));
  const n = SQL_ROWS.length;
  const columns: Record<string, Vector> = {
    user: vectorFromArray(col(0) as (string | null)[], new Utf8()),
    item: makeVector(item),
    rating: makeVector(makeData({ type: new Float64(), length: n, nullCount: r.nulls, nullBitmap: r.bits, data: new Float64Array(r.vals) })),
    ts: makeVector(makeData({ type: new Int64(), length: n, nullCount: t.nulls, nullBitmap: t.bits, data: BigInt64Array.from(t.vals, (x) => BigInt(x)) })),
    liked: makeVector(makeData({ type: new Bool(), length: n, nullCount: l.nulls, nullBitmap: l.bits, data: liked })),
  };
  return new Table(columns);
}

function bitmap(valid: boolean[]): Uint8Array {
  const out = new Uint8Array((valid.length + 7) >> 3);
  valid.forEach((v, i) => v && (out[i >> 3] |= 1 << (i & 7)));
  return out;
}

export interface SqlCase {
  id: string;
  statement: string;
  /** Rows are compared in order (the statement has an ORDER BY that leaves no ties); else as multisets. */
  ordered?: boolean;
  /** Both engines must raise (Spark 4's ANSI errors); the local message must contain this. */
  error?: string;
}

export const SQL_CASES: SqlCase[] = [
  { id: "filter", statement: "SELECT * FROM __THIS__ WHERE ts >= 0", ordered: true },
  { id: "filter-and-or-null", statement: "SELECT user, item FROM __THIS__ WHERE (rating > 2 AND NOT liked) OR rating IS NULL OR ts IS NULL", ordered: true },
  {
    id: "arithmetic",
    statement: "SELECT user, rating * 2 + 1 AS r2, rating / 2 AS half, -rating AS neg, item - 1 AS i1, 7 / 2 AS h FROM __THIS__",
    ordered: true,
  },
  { id: "div-mod", statement: "SELECT ts div 7 AS d, ts % 7 AS m, item div 2 AS id2, -7 div 2 AS neg FROM __THIS__", ordered: true },
  {
    id: "cast-int-truncates",
    statement:
      "SELECT CAST(rating AS INT) AS ri, CAST(rating * 1.5 AS BIGINT) AS rb, CAST(ts AS DOUBLE) AS td, CAST(2.7 AS INT) AS c, CAST(-2.7 AS INT) AS nc, CAST('12' AS INT) AS s FROM __THIS__",
    ordered: true,
  },
  { id: "cast-shorthand", statement: "SELECT rating::int AS ri, item::double AS id FROM __THIS__", ordered: true },
  {
    id: "logs",
    statement:
      "SELECT ln(rating) AS a, log(rating) AS b, log10(rating) AS c, log2(rating) AS d, log1p(rating) AS e, log(2, rating) AS f, exp(rating / 10) AS g, sqrt(rating) AS h, abs(rating) AS i, pow(rating, 2) AS j FROM __THIS__",
    ordered: true,
  },
  {
    id: "nulls",
    statement:
      "SELECT nvl(rating, -1.0) AS a, coalesce(user, 'none') AS b, ifnull(ts, 0) AS c, rating IS NULL AS d, nullif(item, 3) AS e, rating IS NOT NULL AS f FROM __THIS__",
    ordered: true,
  },
  {
    id: "concat-null",
    statement: "SELECT concat(user, '-', item) AS k, concat(user, NULL) AS n, concat(user, CAST(ts AS STRING)) AS t, CAST(liked AS STRING) AS b FROM __THIS__",
    ordered: true,
  },
  {
    id: "case-if-in-between",
    statement:
      "SELECT CASE WHEN rating >= 4 THEN 'high' WHEN rating >= 2 THEN 'mid' ELSE 'low' END AS band, if(ts > 0, 1, 0) AS pos, item IN (1, 2, 3) AS few, item NOT IN (1, 2) AS many, rating BETWEEN 1 AND 3 AS mid FROM __THIS__",
    ordered: true,
  },
  { id: "order-nulls-asc", statement: "SELECT user, item, rating FROM __THIS__ ORDER BY rating, item, user", ordered: true },
  { id: "order-nulls-desc", statement: "SELECT user, item, ts FROM __THIS__ ORDER BY ts DESC, item DESC, user DESC", ordered: true },
  { id: "order-user", statement: "SELECT user, item FROM __THIS__ ORDER BY user, item", ordered: true },
  { id: "order-limit", statement: "SELECT * FROM __THIS__ ORDER BY ts DESC NULLS LAST, item LIMIT 3", ordered: true },
  {
    id: "group-by",
    statement:
      "SELECT user, count(*) AS n, count(rating) AS nr, sum(item) AS s, avg(rating) AS a, min(rating) AS mn, max(ts) AS mx, sum(rating) AS sr FROM __THIS__ GROUP BY user",
  },
  { id: "having", statement: "SELECT user, count(*) AS n FROM __THIS__ GROUP BY user HAVING count(*) >= 3" },
  { id: "distinct", statement: "SELECT DISTINCT user, item FROM __THIS__" },
  { id: "count-distinct", statement: "SELECT user, count(DISTINCT item) AS items FROM __THIS__ GROUP BY user" },
  { id: "window-count", statement: "SELECT *, count(*) OVER (PARTITION BY user) AS n FROM __THIS__" },
  {
    id: "window-rank",
    statement:
      "SELECT user, item, ts, row_number() OVER (PARTITION BY user ORDER BY ts DESC, item) AS rn, rank() OVER (PARTITION BY user ORDER BY item) AS rk, dense_rank() OVER (PARTITION BY user ORDER BY item) AS dr FROM __THIS__",
  },
  {
    id: "window-running-sum",
    statement: "SELECT user, item, sum(item) OVER (PARTITION BY user ORDER BY ts) AS run, avg(rating) OVER (PARTITION BY user) AS ua FROM __THIS__",
  },
  { id: "k-core-in-subquery", statement: "SELECT * FROM __THIS__ WHERE user IN (SELECT user FROM __THIS__ GROUP BY user HAVING count(*) >= 3)", ordered: true },
  { id: "backticks", statement: "SELECT `user` AS `the user`, `rating` FROM __THIS__ WHERE `item` == 1", ordered: true },
  { id: "double-quoted-string", statement: `SELECT * FROM __THIS__ WHERE user = "u1"`, ordered: true },
  { id: "string-escapes", statement: "SELECT concat(user, 'it\\'s', \"a\\tb\") AS s, 'x' 'y' AS adj FROM __THIS__", ordered: true },
  {
    id: "left-semi-join",
    statement: "SELECT a.* FROM __THIS__ a LEFT SEMI JOIN (SELECT user FROM __THIS__ WHERE rating >= 4) b ON a.user = b.user",
    ordered: true,
  },
  {
    id: "left-anti-join",
    statement: "SELECT a.user, a.item FROM __THIS__ a LEFT ANTI JOIN (SELECT user FROM __THIS__ WHERE rating >= 4) b ON a.user = b.user",
  },
  {
    id: "cte-join",
    statement: "WITH c AS (SELECT user, count(*) AS n FROM __THIS__ GROUP BY user) SELECT t.user, t.item, c.n FROM __THIS__ t JOIN c ON t.user = c.user",
  },
  { id: "union-all", statement: "SELECT user FROM __THIS__ WHERE ts < 0 UNION ALL SELECT user FROM __THIS__ WHERE rating > 4" },
  { id: "union", statement: "SELECT user FROM __THIS__ WHERE ts < 0 UNION SELECT user FROM __THIS__ WHERE rating > 4" },
  {
    id: "strings",
    statement: "SELECT lower(user) AS lo, upper(user) AS up, length(user) AS len, trim(user) AS tr, ltrim(user) AS lt, rtrim(user) AS rt FROM __THIS__",
    ordered: true,
  },
  {
    id: "greatest-least",
    statement: "SELECT greatest(rating, item) AS g, least(rating, item) AS l, greatest(rating, NULL) AS gn FROM __THIS__",
    ordered: true,
  },
  { id: "boolean", statement: "SELECT liked, NOT liked AS nl, liked AND ts > 0 AS both FROM __THIS__ WHERE liked OR ts < 0", ordered: true },
  { id: "typed-literals", statement: "SELECT ts + 1L AS a, rating * 2D AS b, item + 1S AS c FROM __THIS__", ordered: true },
  { id: "null-safe-equal", statement: "SELECT rating <=> 3.25 AS e, rating <=> NULL AS n FROM __THIS__", ordered: true },
  { id: "comments", statement: "SELECT user -- the id\n, item /* the item */ FROM __THIS__", ordered: true },
  { id: "liked-confidence", statement: "SELECT *, CASE WHEN liked THEN 1.0 ELSE 0.0 END + 1.0 AS confidence FROM __THIS__", ordered: true },
  {
    id: "left-join",
    statement:
      "SELECT a.user, a.item, b.n FROM __THIS__ a LEFT JOIN (SELECT item, count(*) AS n FROM __THIS__ WHERE rating > 3 GROUP BY item) b ON a.item = b.item",
  },
  {
    id: "full-outer-join",
    statement:
      "SELECT a.item AS ai, b.item AS bi FROM (SELECT DISTINCT item FROM __THIS__ WHERE rating > 3) a FULL OUTER JOIN (SELECT DISTINCT item FROM __THIS__ WHERE ts < 0) b ON a.item = b.item",
  },
  {
    id: "cross-join",
    statement:
      "SELECT a.item AS ai, b.item AS bi FROM (SELECT DISTINCT item FROM __THIS__ WHERE item < 3) a CROSS JOIN (SELECT DISTINCT item FROM __THIS__ WHERE item > 5) b",
  },
  { id: "scalar-subquery", statement: "SELECT user, item, rating - (SELECT avg(rating) FROM __THIS__) AS centred FROM __THIS__", ordered: true },
  {
    id: "except-intersect",
    statement: "SELECT item FROM __THIS__ EXCEPT SELECT item FROM __THIS__ WHERE ts < 0 INTERSECT SELECT item FROM __THIS__ WHERE rating > 1",
  },
  { id: "aliases-of-functions", statement: "SELECT lcase(user) AS lo, ucase(user) AS up, power(item, 2) AS p FROM __THIS__", ordered: true },
  { id: "mean", statement: "SELECT user, mean(rating) AS m, avg(DISTINCT item) AS di, sum(DISTINCT item) AS ds FROM __THIS__ GROUP BY user" },
  {
    id: "small-casts",
    statement:
      "SELECT CAST(rating AS FLOAT) AS f, CAST(rating AS SMALLINT) AS s, CAST(item AS TINYINT) AS t, CAST(item AS BOOLEAN) AS b, CAST(user AS STRING) AS u FROM __THIS__",
    ordered: true,
  },
  {
    id: "with-order-limit",
    statement: "WITH top AS (SELECT user, count(*) AS n FROM __THIS__ GROUP BY user) SELECT * FROM top ORDER BY n DESC, user LIMIT 2",
    ordered: true,
  },
  { id: "divide-by-zero", statement: "SELECT ts / 0 AS x FROM __THIS__", error: "DIVIDE_BY_ZERO" },
  { id: "modulo-by-zero", statement: "SELECT item % 0 AS x FROM __THIS__", error: "DIVIDE_BY_ZERO" },
  { id: "double-divide-by-zero", statement: "SELECT rating / 0.0 AS x FROM __THIS__", error: "DIVIDE_BY_ZERO" },
];
