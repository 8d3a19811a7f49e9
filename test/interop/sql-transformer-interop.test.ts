/**
 * Needs Spark (run with `heavy`): recpipe's run() fits a pipeline holding two sql-transformer stages (a filter with a
 * window count, then derived columns using log1p and a truncating cast) before string-indexer and als. Spark 3.5 and
 * 4.x load the saved model with PipelineModel.load (the stages as org.apache.spark.ml.feature.SQLTransformer) and
 * transform the ratings; recpipe loads the same directory and transforms them too. Both must give the same rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Table, Utf8, makeVector, vectorFromArray } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import { loadModel } from "../../src/model/load-model.js";
import { run } from "../../src/run/run.js";
import { sameCell, sparkCell, tableRows, type Cell } from "../sql/rows.js";
import { runSparkScript } from "./run-spark-script.js";
import { INTEROP_LINES, sparkEnv } from "./spark-env.js";
import { writeStringIdRatings } from "./string-id-ratings.js";

const PIPELINE = `name: sql-interop
seed: 3
source: {path: ratings.csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: sql-transformer, statement: "SELECT user, item, rating, CASE WHEN rating >= 4 THEN 1.0 ELSE 0.0 END + 1.0 AS confidence, count(*) OVER (PARTITION BY user) AS n FROM __THIS__ WHERE rating >= 2"}
  - {type: sql-transformer, name: shape, statement: "SELECT *, log1p(n) AS ln_n, CAST(rating * 1.5 AS INT) AS r15, concat(user, '/', item) AS pair FROM __THIS__"}
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: keep}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: confidence, rank: 3, maxIter: 4, regParam: 0.1, coldStartStrategy: nan}
evaluate:
  - {type: regression-evaluator, metricName: rmse}
`;

describe.each(INTEROP_LINES)("Spark %s's PipelineModel.load applies recpipe's sql-transformer stages", (line) => {
  const env = sparkEnv(line);
  const maybe = env.available ? it : it.skip;
  let dir: string;
  let ours: { columns: string[]; rows: Cell[][] };
  let theirs: { columns: string[]; rows: Cell[][]; stageClasses: string[] } | { error: string };

  beforeAll(async () => {
    if (!env.available) return;
    dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-sql-interop-"));
    writeStringIdRatings(dir, 20, 15, 0.4);
    writeFileSync(path.join(dir, "p.yaml"), PIPELINE);
    const result = await run(path.join(dir, "p.yaml"), { outDir: path.join(dir, "runs"), workers: 1 });
    const modelDir = path.join(result.runDir, "model");
    const lines = readFileSync(path.join(dir, "ratings.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
    const table = new Table({
      user: vectorFromArray(
        lines.map((l) => l[0]),
        new Utf8(),
      ),
      item: vectorFromArray(
        lines.map((l) => l[1]),
        new Utf8(),
      ),
      rating: makeVector(new Int32Array(lines.map((l) => Number(l[2])))),
    });
    const loaded = await loadModel(modelDir);
    const out = await loaded.model.transform(table, quietContext({ workers: 1 }));
    ours = { columns: out.schema.fields.map((f) => f.name), rows: tableRows(out) };
    const job = path.join(dir, "job.json");
    const columns = [
      { name: "user", type: "string" },
      { name: "item", type: "string" },
      { name: "rating", type: "int" },
    ];
    writeFileSync(job, JSON.stringify({ columns, rows: lines.map((l) => [l[0], l[1], Number(l[2])]), pipelines: [{ id: "model", dir: modelDir }] }));
    const res = await runSparkScript<{ results: Record<string, typeof theirs> }>(env.python, "spark_sql_cases.py", [job]);
    theirs = res.results.model;
  }, 300_000);
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  maybe("loads both stages as SQLTransformer and gives the same columns and rows", () => {
    if ("error" in theirs) throw new Error(`Spark ${line} could not apply the model: ${theirs.error}`);
    expect(theirs.stageClasses).toEqual(["SQLTransformer", "SQLTransformer", "StringIndexerModel", "ALSModel"]);
    expect(theirs.columns).toEqual(ours.columns);
    expect(ours.columns).toEqual(["user", "item", "rating", "confidence", "n", "ln_n", "r15", "pair", "userIndex", "itemIndex", "prediction"]);
    // The window count reorders rows differently in each engine: compare by (user, item), which is unique.
    const byPair = (rows: Cell[][]) => [...rows].sort((a, b) => `${a[0]}|${a[1]}`.localeCompare(`${b[0]}|${b[1]}`));
    const mine = byPair(ours.rows);
    const spark = byPair(theirs.rows.map((r) => r.map(sparkCell)));
    expect(mine.length).toBeGreaterThan(50);
    expect(spark.length).toBe(mine.length);
    const prediction = ours.columns.indexOf("prediction");
    for (let i = 0; i < mine.length; i++) {
      mine[i].forEach((v, j) => {
        const w = spark[i][j];
        const ok = j === prediction ? Math.abs((v as number) - (w as number)) < 1e-5 : sameCell(v, w);
        if (!ok) expect(v, `row ${i} (${mine[i][0]}, ${mine[i][1]}) column ${ours.columns[j]}`).toEqual(w);
      });
    }
  });
});
