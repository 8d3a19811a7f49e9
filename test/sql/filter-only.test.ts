/**
 * Row filters (`SELECT * FROM __THIS__ WHERE p`) take a shorter path in the local SQL engine: only the columns `p`
 * reads go to DuckDB and the kept rows are taken from the input (src/sql/filter-only.ts). These tests hold that path
 * to the general one (a select list other than a bare star forces it) on rows with nulls, and check which
 * statements the recogniser accepts on DuckDB's real parse trees.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { DataType } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { isInputError } from "../../src/core/errors.js";
import { filterOnlyColumns } from "../../src/sql/filter-only.js";
import { runSql } from "../../src/sql/sql-engine.js";
import { tableRows } from "./rows.js";
import { sqlCasesTable } from "./sql-cases.js";

const W = "prepare[1] (sql-transformer).statement";
const COLUMNS = ["user", "item", "rating", "ts", "liked"];

describe("a row filter gives the general path's rows", () => {
  const predicates = [
    "ts >= 0",
    "user = 'u1' OR rating IS NULL",
    "__THIS__.rating > 2",
    "NOT liked",
    "liked IS NULL",
    "upper(user) = 'U4 '",
    "rating > 2 AND ts IS NOT NULL",
    "user IN ('u1', 'u3') AND item <> 3",
    "coalesce(rating, -1) < 0",
    "user IN (SELECT user FROM __THIS__ GROUP BY user HAVING count(*) >= 3)",
    "item > 100",
  ];
  for (const p of predicates)
    it(p, () => {
      const table = sqlCasesTable();
      const fast = runSql(table, `SELECT * FROM __THIS__ WHERE ${p}`, W);
      const general = runSql(table, `SELECT *, 0 AS __z FROM __THIS__ WHERE ${p}`, W);
      expect(tableRows(fast)).toEqual(tableRows(general).map((r) => r.slice(0, -1)));
      expect(fast.schema.fields.map((f) => f.name)).toEqual(COLUMNS);
    });

  it("keeps the input's columns as they are (a plain string column stays plain) and its row order", () => {
    const table = sqlCasesTable();
    const out = runSql(table, "SELECT * FROM __THIS__ WHERE ts > 100", W);
    expect(DataType.isUtf8(out.getChild("user")!.type)).toBe(true);
    expect(out.getChild("ts")!.toArray()).toEqual(BigInt64Array.from([200n, 150n, 300n, 250n, 400n, 500n]));
  });

  it("still fails with exit 2 naming the key when the predicate fails on the data", () => {
    let err: unknown;
    try {
      runSql(sqlCasesTable(), "SELECT * FROM __THIS__ WHERE item / 0 > 1", W);
    } catch (e) {
      err = e;
    }
    expect(isInputError(err)).toBe(true);
    expect((err as Error).message).toContain(W);
    expect((err as Error).message).toMatch(/DIVIDE_BY_ZERO/);
  });
});

describe("which statements are row filters", async () => {
  const conn = await (await DuckDBInstance.create(":memory:")).connect();
  const tree = async (sql: string) => JSON.parse(String((await conn.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR)", [sql])).getRows()[0][0]));
  const accepted: [string, string[]][] = [
    ["SELECT * FROM __THIS__ WHERE ts >= 0", ["ts"]],
    ["SELECT * FROM __THIS__ t WHERE t.RATING > 1 AND user IS NOT NULL", ["user", "rating"]],
    ["select __this__.* from __THIS__ where liked", ["liked"]],
  ];
  for (const [sql, cols] of accepted) it(`accepts ${sql}`, async () => expect(filterOnlyColumns(await tree(sql), COLUMNS)).toEqual(cols));
  const refused = [
    "SELECT * FROM __THIS__",
    "SELECT user FROM __THIS__ WHERE ts >= 0",
    "SELECT * EXCLUDE (ts) FROM __THIS__ WHERE ts >= 0",
    "SELECT *, 1 AS one FROM __THIS__ WHERE ts >= 0",
    "SELECT DISTINCT * FROM __THIS__ WHERE ts >= 0",
    "SELECT * FROM __THIS__ WHERE ts >= 0 ORDER BY ts",
    "SELECT * FROM __THIS__ WHERE ts >= 0 LIMIT 3",
    "SELECT * FROM __THIS__ WHERE 1 = 1",
    "SELECT * FROM __THIS__ WHERE nope > 1",
    "SELECT * FROM __THIS__ WHERE user IN (SELECT user FROM __THIS__ WHERE liked)",
    "SELECT * FROM __THIS__ a JOIN __THIS__ b ON a.user = b.user WHERE a.ts > 0",
    "WITH x AS (SELECT 1) SELECT * FROM __THIS__ WHERE ts > 0",
    "SELECT * FROM other WHERE ts > 0",
    "SELECT * FROM __THIS__ WHERE ts > 0 GROUP BY ALL",
  ];
  for (const sql of refused) it(`refers ${sql} to the general path`, async () => expect(filterOnlyColumns(await tree(sql), COLUMNS)).toBeUndefined());
});
