/**
 * The local SQL engine without Spark: the Spark -> DuckDB rewrite (what each construct becomes), what is refused and
 * how the refusal names the key, the sandbox (no file, network, extension or setting is reachable from a statement),
 * schema checks without data, and Arrow in/out for every column type with nulls.
 */
import { Dictionary, Field, Float32, Float64, Int32, Int64, Schema, Table, Utf8, makeVector, vectorFromArray } from "apache-arrow";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isInputError } from "../../src/core/errors.js";
import { describeSql, rewriteSql, runSql } from "../../src/sql/sql-engine.js";
import { tableRows } from "./rows.js";
import { sqlCasesTable } from "./sql-cases.js";

const W = "pipeline[0] (sql-transformer).statement";

function refusal(statement: string, table: Table = sqlCasesTable()): string {
  try {
    runSql(table, statement, W);
  } catch (e) {
    expect(isInputError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`not refused: ${statement}`);
}

describe("rewrite from Spark SQL to DuckDB", () => {
  const cases: [string, RegExp][] = [
    ["SELECT CAST(rating AS INT) AS r FROM __THIS__", /CAST\(trunc\(rating\) AS INTEGER\)/],
    ["SELECT log(rating) AS l FROM __THIS__", /__spark_ln\(rating\)/],
    ["SELECT log1p(rating) AS l FROM __THIS__", /__spark_log1p\(rating\)/],
    ["SELECT nvl(rating, 0) AS n FROM __THIS__", /COALESCE\(rating, 0\)/],
    ["SELECT ts div 2 AS d FROM __THIS__", /__spark_div\(ts, 2\) AS d/],
    ["SELECT `user` FROM __THIS__", /SELECT "user" FROM __THIS__/],
    ["SELECT concat(user, 'x') AS c FROM __THIS__", /\(__spark_string\("user"\) \|\| 'x'\)/],
    ["SELECT item / 2 AS h FROM __THIS__", /\(item \/ __spark_divisor\(2\)\)/],
    [`SELECT * FROM __THIS__ WHERE user = "u1"`, /\("user" = 'u1'\)/],
    ["SELECT a.* FROM __THIS__ a LEFT SEMI JOIN __THIS__ b ON a.item = b.item", /SEMI JOIN/],
    ["SELECT ts + 1L AS a FROM __THIS__", /CAST\(trunc\(1\) AS BIGINT\)/],
    ["SELECT rating * 1e8 AS a, 2.5 AS b FROM __THIS__", /\(rating \* 100000000\.0\) AS a, 2\.5 AS b/],
  ];
  for (const [spark, duck] of cases) it(spark, () => expect(rewriteSql(spark, W)).toMatch(duck));
});

describe("what is refused, naming the key and the construct", () => {
  const refused: [string, RegExp][] = [
    ["SELECT * FROM __THIS__ WHERE user RLIKE 'u.*'", /RLIKE/],
    ["SELECT * FROM __THIS__ WHERE user LIKE 'u%'", /LIKE/],
    ["SELECT round(rating, 1) AS r FROM __THIS__", /function round: unknown or not supported/],
    ["SELECT nosuchfn(rating) AS r FROM __THIS__", /function nosuchfn/],
    ["SELECT rating * 2 FROM __THIS__", /without a name/],
    ["SELECT * FROM other_table", /without __THIS__/],
    ["SELECT * FROM __THIS__ JOIN other_table ON true", /table other_table/],
    ["SELECT 1 AS one", /without __THIS__/],
    ["SELECT * FROM __THIS__; SELECT * FROM __THIS__", /2 statements/],
    ["DELETE FROM __THIS__", /DELETE: expected one SELECT/],
    ["SELECT * EXCLUDE (ts) FROM __THIS__", /EXCLUDE/],
    ["SELECT user FROM __THIS__ GROUP BY ALL", /GROUP BY ALL/],
    ["SELECT user FROM __THIS__ QUALIFY count(*) OVER (PARTITION BY user) >= 3", /QUALIFY: DuckDB-only/],
    ["SELECT * FROM __THIS__ USING SAMPLE 10", /SAMPLE/],
    ["SELECT TRY_CAST(user AS INT) AS x FROM __THIS__", /TRY_CAST/],
    ["SELECT CAST(ts AS DATE) AS d FROM __THIS__", /CAST\(\.\.\. AS DATE\)/],
    ["SELECT sum(item) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM __THIS__", /explicit window frames/],
    ["SELECT lag(item) OVER (ORDER BY ts) AS l FROM __THIS__", /window function lag/],
  ];
  for (const [statement, construct] of refused)
    it(statement, () => {
      const msg = refusal(statement);
      expect(msg.startsWith(`${W}: expected`)).toBe(true);
      expect(msg).toMatch(construct);
    });

  it("a syntax error is exit 2 naming the key, what was expected and what was found", () => {
    const msg = refusal("SELECT * FROM __THIS__ WHERE ts >>= 0");
    expect(msg).toMatch(/^pipeline\[0\] \(sql-transformer\)\.statement: expected/);
    expect(msg).toContain(">>=");
    expect(refusal("SELECT * FROM __THIS__ WHERE")).toMatch(/syntax error/);
  });

  it("div gives a bigint, and refuses fractions rather than round them differently", () => {
    const out = runSql(sqlCasesTable(), "SELECT item div 2 AS d FROM __THIS__", W);
    expect(String(out.getChild("d")!.type)).toBe("Int64");
    expect(refusal("SELECT rating div 2 AS d FROM __THIS__")).toMatch(/div of non-integer values/);
  });

  it("division by zero raises as Spark 4 does, naming the key", () => {
    expect(refusal("SELECT item / 0 AS x FROM __THIS__")).toMatch(/^pipeline\[0\].*failed on the data.*DIVIDE_BY_ZERO/);
  });

  it("a number cast to a string that Spark writes in E notation is refused, not written differently", () => {
    expect(refusal("SELECT CAST(rating * 1e8 AS STRING) AS s FROM __THIS__")).toMatch(/E notation/);
    expect(tableRows(runSql(sqlCasesTable(), "SELECT CAST(item * 1.5D AS STRING) AS s FROM __THIS__ WHERE item = 1", W))).toEqual([["1.5"], ["1.5"], ["1.5"]]);
  });
});

describe("the sandbox", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-sql-sandbox-"));
  const secret = path.join(dir, "secret.csv");
  writeFileSync(secret, "token\nTOP-SECRET-4711\n");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const attempts = [
    `SELECT * FROM read_csv('${secret}')`,
    `SELECT t.* FROM __THIS__, read_csv('${secret}') t`,
    `SELECT * FROM __THIS__ WHERE user IN (SELECT token FROM read_csv_auto('${secret}'))`,
    `SELECT * FROM __THIS__ UNION ALL SELECT * FROM read_text('${secret}')`,
    `SELECT * FROM __THIS__, read_parquet('${secret}')`,
    `SELECT * FROM __THIS__, glob('${dir}/*')`,
    `SELECT * FROM '${secret}', __THIS__`,
    `COPY (SELECT * FROM __THIS__) TO '${dir}/out.csv'`,
    `ATTACH '${dir}/db.duckdb' AS x; SELECT * FROM __THIS__`,
    `INSTALL httpfs; SELECT * FROM __THIS__`,
    `LOAD httpfs; SELECT * FROM __THIS__`,
    `SET enable_external_access = true; SELECT * FROM __THIS__`,
    `PRAGMA threads = 4; SELECT * FROM __THIS__`,
    `SELECT * FROM __THIS__, read_csv('https://example.com/x.csv')`,
    `SELECT current_setting('enable_external_access') AS s FROM __THIS__`,
    `SELECT getenv('HOME') AS h FROM __THIS__`,
  ];
  for (const a of attempts)
    it(a, () => {
      const msg = refusal(a);
      expect(msg).not.toContain("TOP-SECRET-4711");
      expect(msg.startsWith(W)).toBe(true);
    });
});

describe("schema checks without data, and Arrow in and out", () => {
  it("transformSchema's output schema names and types the columns, and names unknown columns", () => {
    const schema = new Schema([new Field("user", new Utf8()), new Field("rating", new Float32()), new Field("n", new Int64())]);
    const out = describeSql(schema, "SELECT user, rating, n, CAST(rating AS INT) AS r, n + 1 AS m, sum(n) OVER (PARTITION BY user) AS s FROM __THIS__", W);
    expect(out.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ["user", String(new Dictionary(new Utf8(), new Int32()))],
      ["rating", String(new Float32())],
      ["n", String(new Int64())],
      ["r", String(new Int32())],
      ["m", String(new Int64())],
      ["s", String(new Int64())],
    ]);
    expect(() => describeSql(schema, "SELECT tss FROM __THIS__", W)).toThrow(/pipeline\[0\].*"tss" not found/);
  });

  it("round-trips every column type with nulls, strings as dictionaries over the distinct values", () => {
    const t = sqlCasesTable();
    const out = runSql(t, "SELECT * FROM __THIS__", W);
    expect(tableRows(out)).toEqual(tableRows(t));
    expect(out.getChild("user")!.nullCount).toBe(1);
    expect(out.getChild("rating")!.nullCount).toBe(1);
  });

  it("keeps the input order of a filter over more rows than one slice, with float32 columns", () => {
    const n = (1 << 20) + 3000;
    const item = new Int32Array(n).map((_, i) => (i * 7919) % 1000);
    const rating = new Float32Array(n).map((_, i) => (i % 5) + 0.5);
    const user = vectorFromArray(
      Array.from({ length: n }, (_, i) => `u${i % 3000}`),
      new Utf8(),
    );
    const t = new Table({ user, item: makeVector(item), rating: makeVector(rating) });
    const out = runSql(t, "SELECT user, item, rating FROM __THIS__ WHERE item < 10", W);
    const keep = [...item.keys()].filter((i) => item[i] < 10);
    expect(out.numRows).toBe(keep.length);
    expect(Array.from(out.getChild("item")!.toArray() as Int32Array)).toEqual(keep.map((i) => item[i]));
    expect(out.getChild("rating")!.type).toBeInstanceOf(Float32);
    expect(out.getChild("user")!.get(out.numRows - 1)).toBe(`u${keep[keep.length - 1] % 3000}`);
  });

  it("an empty result keeps its columns", () => {
    const out = runSql(sqlCasesTable(), "SELECT user, rating FROM __THIS__ WHERE rating > 100", W);
    expect(out.numRows).toBe(0);
    expect(out.schema.fields.map((f) => f.name)).toEqual(["user", "rating"]);
  });

  it("same input, same output order for aggregates, every time", () => {
    const s = "SELECT user, count(*) AS n FROM __THIS__ GROUP BY user";
    expect(tableRows(runSql(sqlCasesTable(), s, W))).toEqual(tableRows(runSql(sqlCasesTable(), s, W)));
  });

  it("a Float64 column of doubles survives exactly", () => {
    const v = new Float64Array([0.1, 1e-300, -0, Number.MAX_VALUE, NaN]);
    const out = runSql(new Table({ x: makeVector(v) }), "SELECT x FROM __THIS__", W);
    expect(Array.from(out.getChild("x")!.toArray() as Float64Array)).toEqual(Array.from(v));
    expect(out.getChild("x")!.type).toBeInstanceOf(Float64);
  });
});
