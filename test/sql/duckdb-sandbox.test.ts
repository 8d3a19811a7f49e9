/**
 * The second line of defence, on its own: raw SQL sent straight to the sandboxed DuckDB connection (skipping
 * recpipe's statement check) can read no file, write none, load or install no extension, reach no URL and change no
 * setting; the settings the rewrite relies on (null order, one thread) hold.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSandboxedDuckDB } from "../../src/sql/duckdb-sandbox.js";

const SECRET = "TOP-SECRET-5150";
let dir: string;
let conn: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-duckdb-sandbox-"));
  writeFileSync(path.join(dir, "secret.csv"), `token\n${SECRET}\n`);
  conn = await openSandboxedDuckDB();
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

async function failure(sql: string): Promise<string> {
  try {
    const r = await conn.runAndReadAll(sql);
    return `ran: ${JSON.stringify(r.getRows(), (_, v) => (typeof v === "bigint" ? String(v) : v))}`;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("the sandboxed DuckDB connection", () => {
  const secret = () => path.join(dir, "secret.csv");
  const blocked: [string, () => string, RegExp][] = [
    ["read_csv", () => `SELECT * FROM read_csv('${secret()}')`, /disabled by configuration/],
    ["read_text", () => `SELECT * FROM read_text('${secret()}')`, /disabled by configuration/],
    ["read_parquet", () => `SELECT * FROM read_parquet('${secret()}')`, /disabled by configuration/],
    ["glob", () => `SELECT * FROM glob('${dir}/*')`, /disabled by configuration/],
    ["a file name", () => `SELECT * FROM '${secret()}'`, /disabled by configuration/],
    ["COPY TO", () => `COPY (SELECT 42) TO '${dir}/out.csv'`, /disabled by configuration/],
    ["ATTACH", () => `ATTACH '${dir}/x.duckdb' AS x`, /disabled by configuration/],
    ["INSTALL", () => `INSTALL httpfs`, /disabled by configuration/],
    ["LOAD", () => `LOAD httpfs`, /disabled through configuration|disabled by configuration/],
    ["a URL", () => `SELECT * FROM read_csv('https://example.com/x.csv')`, /disabled by configuration/],
    ["SET", () => `SET enable_external_access = true`, /configuration has been locked/],
    ["RESET", () => `RESET lock_configuration`, /configuration has been locked|Cannot reset/],
    ["PRAGMA", () => `PRAGMA threads = 4`, /configuration has been locked/],
    ["SET lock off", () => `SET lock_configuration = false`, /configuration has been locked/],
  ];
  for (const [what, sql, why] of blocked)
    it(`refuses ${what}`, async () => {
      const msg = await failure(sql());
      expect(msg).toMatch(why);
      expect(msg).not.toContain(SECRET);
    });

  it("wrote nothing and kept its settings", async () => {
    expect(readdirSync(dir)).toEqual(["secret.csv"]);
    const r = await conn.runAndReadAll("SELECT current_setting('enable_external_access'), current_setting('threads'), current_setting('default_null_order')");
    expect(r.getRows()[0].map((v) => String(v).toLowerCase())).toEqual(["false", "1", "nulls_first_on_asc_last_on_desc"]);
  });
});
