/**
 * Needs Spark (run with `heavy`): a pipeline holding a sql-transformer runs with --remote on the real Spark 4.0.x
 * Connect server, where the statement goes as written to Spark's own SQLTransformer. The metrics agree with the local
 * engine's (which ran the rewritten statement on DuckDB), and the fetched model/ saves the stage as SQLTransformer.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/run/run.js";
import { serverInfo, waitForServer } from "./spark-server.js";

let dir: string;
const STATEMENT =
  "SELECT user, item, rating, CASE WHEN rating >= 3 THEN 2.0 ELSE 1.0 END * log1p(rating) AS confidence FROM __THIS__ WHERE CAST(rating AS INT) >= 2";

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-remote-sql-"));
  const rows = ["user,item,rating"];
  for (let u = 0; u < 120; u++)
    for (let i = 0; i < 60; i++)
      if ((u * 31 + i * 17) % 3 !== 0) rows.push(`u${u},m${i},${1 + ((u % 4 === i % 4 ? 2 : 0) + ((u + i) % 2)) + (((u * 7 + i * 13) % 5) - 2) * 0.3}`);
  writeFileSync(path.join(dir, "ratings.csv"), rows.join("\n") + "\n");
  writeFileSync(
    path.join(dir, "sql.yaml"),
    `name: sql
seed: 3
source: {path: ratings.csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: sql-transformer, statement: ${JSON.stringify(STATEMENT)}}
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex]}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: confidence, rank: 4, maxIter: 5, coldStartStrategy: drop}
evaluate:
  - {type: regression-evaluator, metricName: rmse}
output: {dir: runs}
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Spark 4.0: sql-transformer on the cluster", () => {
  const info = serverInfo("4.0");
  it.runIf(!("missing" in info))(
    "runs as Spark's SQLTransformer with the statement as written; metrics agree with the local engine",
    async () => {
      const server = await waitForServer(info);
      const file = path.join(dir, "sql.yaml");
      const local = await run(file, { outDir: path.join(dir, "local"), workers: 1 });
      const remote = await run(file, { outDir: path.join(dir, "remote"), remote: server.url });
      expect(Number.isFinite(remote.metrics.rmse)).toBe(true);
      expect(Math.abs(remote.metrics.rmse - local.metrics.rmse)).toBeLessThan(0.01);
      const stages = path.join(remote.runDir, "model", "stages");
      const sqlDir = readdirSync(stages).find((d) => d.startsWith("0_"))!;
      const meta = JSON.parse(readFileSync(path.join(stages, sqlDir, "metadata", "part-00000"), "utf8"));
      expect(meta.class).toBe("org.apache.spark.ml.feature.SQLTransformer");
      expect(meta.paramMap).toEqual({ statement: STATEMENT });
    },
    600_000,
  );
});
