/**
 * A sql-transformer inside `pipeline:` names its place in the file in every exit-2 error, as a prepare step does:
 * at validate and at load (the schema check), while fitting (an error on the data), and in predict's model.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import { loadModel } from "../../src/model/load-model.js";
import { readTable } from "../../src/io/read-table.js";
import { run } from "../../src/run/run.js";
import { validatePipeline } from "../../src/run/validate-pipeline.js";
import { inputError } from "../input-error.js";

let dir: string;

function yaml(statements: string[]): string {
  return `name: sql-errors
seed: 1
source: {path: ratings.csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
${statements.map((s, i) => `  - {name: sql${i}, type: sql-transformer, statement: ${JSON.stringify(s)}}`).join("\n")}
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i]}
  - {type: als, userCol: u, itemCol: i, ratingCol: rating, rank: 2, maxIter: 2, coldStartStrategy: drop}
output: {dir: runs}
`;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-pipeline-sql-errors-"));
  const lines = ["user,item,rating"];
  for (let u = 0; u < 10; u++) for (let k = 0; k < 5; k++) lines.push(`u${u},i${(u + k) % 8},${1 + ((u + k) % 5)}`);
  writeFileSync(path.join(dir, "ratings.csv"), lines.join("\n") + "\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, statements: string[]): string {
  const f = path.join(dir, name);
  writeFileSync(f, yaml(statements));
  return f;
}

describe("sql-transformer errors in pipeline: name pipeline[i]", () => {
  it("an unknown column in the second statement: validate and run name pipeline[1] and the key", async () => {
    const f = file("unknown.yaml", ["SELECT * FROM __THIS__ WHERE rating > 0", "SELECT * FROM __THIS__ WHERE ratng > 1"]);
    const expected = /^pipeline\[1\] \(sql-transformer "sql1"\)\.statement: .*"ratng" not found/;
    expect(await inputError(validatePipeline(f))).toMatch(expected);
    expect(await inputError(run(f, { workers: 1, outDir: path.join(dir, "runs") }))).toMatch(expected);
  });

  it("an error on the data while fitting names pipeline[0]", async () => {
    const f = file("divide.yaml", ["SELECT *, CAST(rating AS INT) / 0 AS x FROM __THIS__"]);
    expect(await inputError(run(f, { workers: 1, outDir: path.join(dir, "runs") }))).toMatch(
      /^pipeline\[0\] \(sql-transformer "sql0"\)\.statement: .*DIVIDE_BY_ZERO/,
    );
  });

  it("a saved model's statement failing on new rows names pipeline[0] (predict)", async () => {
    const f = file("good.yaml", ["SELECT * FROM __THIS__ WHERE rating > 0"]);
    const r = await run(f, { workers: 1, outDir: path.join(dir, "runs") });
    const { model } = await loadModel(path.join(r.runDir, "model"));
    const rows = await readTable(path.join(dir, "ratings.csv"));
    const noRating = rows.select(["user", "item"]);
    expect(await inputError(model.transform(noRating, quietContext()))).toMatch(/^pipeline\[0\] \(sql-transformer[^)]*\)\.statement: /);
    expect(() => model.transformSchema(noRating.schema)).toThrow(/^pipeline\[0\] \(sql-transformer[^)]*\)\.statement: /);
  });
});
