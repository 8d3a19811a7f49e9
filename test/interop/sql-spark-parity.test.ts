/**
 * Needs Spark (run with `heavy`): every statement in test/sql/sql-cases.ts runs on recpipe's local SQL engine and on
 * real Spark 4.0's SQLTransformer (a classic local session), and both must give the same column names and rows
 * (in order where the statement orders them), or both must raise. This is the proof behind the rewrite table in
 * docs/sql-transformer.md: a construct listed there as supported is one of these cases.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSql } from "../../src/sql/sql-engine.js";
import { rowKey, sameCell, sparkCell, tableRows, type Cell } from "../sql/rows.js";
import { SQL_CASES, SQL_COLUMNS, SQL_ROWS, sqlCasesTable } from "../sql/sql-cases.js";
import { runSparkScript } from "./run-spark-script.js";
import { sparkEnv } from "./spark-env.js";

type SparkResult = { columns: string[]; rows: Cell[][] } | { error: string };
const env = sparkEnv("4.0");

describe.skipIf(!env.available)("SQL statements on the local engine and on Spark 4.0", () => {
  let dir: string;
  let spark: { sparkVersion: string; results: Record<string, SparkResult> };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-sql-parity-"));
    const job = path.join(dir, "job.json");
    writeFileSync(job, JSON.stringify({ columns: SQL_COLUMNS, rows: SQL_ROWS, cases: SQL_CASES.map(({ id, statement }) => ({ id, statement })) }));
    spark = await runSparkScript(env.available ? env.python : "", "spark_sql_cases.py", [job]);
  }, 300_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("runs on Spark 4.0", () => {
    expect(spark.sparkVersion).toMatch(/^4\.0\./);
  });

  for (const c of SQL_CASES) {
    it(`${c.id}: ${c.statement}`, () => {
      const theirs = spark.results[c.id];
      if (c.error) {
        expect(theirs).toHaveProperty("error");
        expect((theirs as { error: string }).error).toContain(c.error);
        expect(() => runSql(sqlCasesTable(), c.statement, "case")).toThrow(c.error);
        return;
      }
      if ("error" in theirs) throw new Error(`Spark refused a supported construct: ${theirs.error}`);
      const out = runSql(sqlCasesTable(), c.statement, "case");
      expect(out.schema.fields.map((f) => f.name)).toEqual(theirs.columns);
      let ours = tableRows(out);
      let sparkRows = theirs.rows.map((r) => r.map(sparkCell));
      expect(ours.length).toBe(sparkRows.length);
      if (!c.ordered) {
        ours = [...ours].sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
        sparkRows = [...sparkRows].sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
      }
      for (let i = 0; i < ours.length; i++) {
        const same = ours[i].every((v, j) => sameCell(v, sparkRows[i][j]));
        if (!same) expect(ours[i], `row ${i}`).toEqual(sparkRows[i]);
      }
    });
  }
});
