/**
 * sql-transformer through the built CLI: `validate` catches a bad statement (exit 2 naming the stage), `run` saves it
 * as Spark's SQLTransformer and `predict` applies it, and every attempt to reach the machine from a statement (files,
 * network, extensions, settings) is exit 2 with a secret file's content never printed nor copied into the run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const SECRET = "TOP-SECRET-8812";
let dir: string;

function pipeline(statement: string): string {
  return [
    "name: sql-cli",
    "seed: 1",
    "source: {path: ratings.csv, format: csv, header: true}",
    "split: {type: random-split, weights: [0.8, 0.2]}",
    "pipeline:",
    `  - {type: sql-transformer, statement: ${JSON.stringify(statement)}}`,
    "  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}",
    "  - {type: als, userCol: u, itemCol: i, ratingCol: confidence, rank: 2, maxIter: 2, coldStartStrategy: drop}",
    "evaluate:",
    "  - {type: regression-evaluator, metricName: rmse}",
    "output: {dir: runs}",
  ].join("\n");
}

function write(name: string, statement: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, pipeline(statement));
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-sql-cli-"));
  const lines = ["user,item,rating,ts"];
  for (let u = 0; u < 12; u++)
    for (let i = 0; i < 8; i++) if ((u * 7 + i * 3) % 4 !== 0) lines.push(`u${u},i${i},${1 + ((u + i) % 5)},${(u * i) % 9 === 0 ? -1 : u * 10 + i}`);
  writeFileSync(path.join(dir, "ratings.csv"), lines.join("\n") + "\n");
  writeFileSync(path.join(dir, "secret.csv"), `confidence\n${SECRET}\n`);
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

const GOOD = "SELECT *, CASE WHEN rating >= 4 THEN 2.0 ELSE 1.0 END AS confidence FROM __THIS__ WHERE ts >= 0";

describe("sql-transformer in the CLI", () => {
  it("validate passes a good statement and names the output column; exit 2 for a malformed one, naming the step", () => {
    const ok = runCli(["validate", write("good.yaml", GOOD)], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("confidence");
    const bad = runCli(["validate", write("bad.yaml", GOOD.replace("ts >= 0", "ts >>= 0"))], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/pipeline\[0\] \(sql-transformer\)\.statement: expected .*>>=/);
    const unknown = runCli(["validate", write("unknown.yaml", GOOD.replace("ts >= 0", "tss >= 0"))], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/pipeline\[0\] \(sql-transformer\)\.statement: .*"tss" not found/);
  });

  it("run saves the stage as Spark's SQLTransformer, and predict applies it to new rows", () => {
    const r = runCli(["run", write("good.yaml", GOOD), "--quiet", "--json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const runDir = JSON.parse(r.stdout).runDir as string;
    const stagesDir = path.join(runDir, "model", "stages");
    const sqlDir = readdirSync(stagesDir).find((d) => d.startsWith("0_sql_"))!;
    const meta = JSON.parse(readFileSync(path.join(stagesDir, sqlDir, "metadata", "part-00000"), "utf8"));
    expect(meta.class).toBe("org.apache.spark.ml.feature.SQLTransformer");
    expect(meta.paramMap).toEqual({ statement: GOOD });
    writeFileSync(path.join(dir, "new.csv"), "user,item,rating,ts\nu1,i1,5,3\nu2,i2,1,-4\nu3,i1,2,8\n");
    const p = runCli(["predict", "--model", path.join(runDir, "model"), "--input", "new.csv", "--out", "pred.csv"], { cwd: dir });
    expect(p.code, p.stderr).toBe(0);
    const rows = readFileSync(path.join(dir, "pred.csv"), "utf8").trim().split("\n");
    expect(rows[0].split(",").slice(0, 5)).toEqual(["user", "item", "rating", "ts", "confidence"]);
    // The row with ts < 0 is filtered by the saved statement; the others carry its confidence column.
    expect(rows.slice(1).map((l) => l.split(",").slice(0, 5).join(","))).toEqual(["u1,i1,5,3,2", "u3,i1,2,8,1"]);
  });

  const secret = () => path.join(dir, "secret.csv");
  const attempts: [string, () => string][] = [
    ["read_csv", () => `SELECT * FROM read_csv('${secret()}')`],
    ["read_csv beside __THIS__", () => `SELECT t.*, s.confidence FROM __THIS__ t, read_csv('${secret()}') s`],
    ["read_csv_auto in a subquery", () => `SELECT *, 1.0 AS confidence FROM __THIS__ WHERE user IN (SELECT confidence FROM read_csv_auto('${secret()}'))`],
    ["read_parquet", () => `SELECT *, 1.0 AS confidence FROM __THIS__, read_parquet('${secret()}')`],
    ["read_text", () => `SELECT *, content AS confidence FROM __THIS__, read_text('${secret()}')`],
    ["glob", () => `SELECT *, file AS confidence FROM __THIS__, glob('${dir}/*')`],
    ["a file name in FROM", () => `SELECT *, confidence FROM __THIS__, '${secret()}'`],
    ["COPY", () => `COPY (SELECT * FROM read_csv('${secret()}')) TO '${dir}/leak.csv'`],
    ["ATTACH", () => `ATTACH '${dir}/x.duckdb'; SELECT *, 1.0 AS confidence FROM __THIS__`],
    ["INSTALL", () => `INSTALL httpfs; SELECT *, 1.0 AS confidence FROM __THIS__`],
    ["LOAD", () => `LOAD httpfs; SELECT *, 1.0 AS confidence FROM __THIS__`],
    ["SET", () => `SET enable_external_access = true; SELECT *, 1.0 AS confidence FROM __THIS__`],
    ["PRAGMA", () => `PRAGMA enable_external_access = true; SELECT *, 1.0 AS confidence FROM __THIS__`],
    ["the network", () => `SELECT t.*, s.confidence FROM __THIS__ t, read_csv('https://example.com/secret.csv') s`],
  ];
  for (const [what, statement] of attempts)
    it(`a statement using ${what} is exit 2 and reads nothing`, () => {
      const file = write(`attempt.yaml`, statement());
      for (const cmd of ["validate", "run"]) {
        const r = runCli(cmd === "run" ? ["run", file, "--quiet", "--out", path.join(dir, "attempt-runs")] : ["validate", file], { cwd: dir });
        expect(r.code, `${cmd}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(/pipeline\[0\] \(sql-transformer\)\.statement: expected/);
        expect(r.stdout + r.stderr).not.toContain(SECRET);
      }
      expect(readdirSync(dir)).not.toContain("leak.csv");
      expect(readdirSync(dir)).not.toContain("x.duckdb");
    });
});
