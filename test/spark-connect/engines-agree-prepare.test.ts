/**
 * Needs Spark (run with `heavy`): the `prepare:` block on both engines against the real Spark Connect servers (4.0.x
 * and the newest 4.x). The same cleaning (nullValues, drop-na how any and all, a SQL filter, drop-duplicates keeping
 * the first or the last by orderBy with ties decided by file position, an iterative k-core that needs several
 * passes, a binarizer on an integer column) gives the same rows after prepare locally and on the cluster, and the
 * same funnel in manifest.json and metrics.json; a binarizer on an integer column inside `pipeline:` runs there too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataType, type Table } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietContext, silentProgress } from "../../src/core/run-context.js";
import { readSource } from "../../src/engines/local/read-source.js";
import { remoteSource } from "../../src/engines/spark-connect/remote-data.js";
import { prepareRemote } from "../../src/engines/spark-connect/remote-prepare.js";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { SparkMl } from "../../src/engines/spark-connect/transport/ml.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import { applyPrepare } from "../../src/prepare/apply-prepare.js";
import { recommenderIdColumns } from "../../src/prepare/id-columns.js";
import { prepareSteps } from "../../src/run/prepare-steps.js";
import { run } from "../../src/run/run.js";
import { loadPipelineFile } from "../../src/spec/load-pipeline-file.js";
import { SPARK_LINES } from "./spark-servers.global.js";
import { serverInfo, waitForServer } from "./spark-server.js";

let dir: string;

/**
 * 40 users x 8 items (integer ratings, so the binarizer's input is an int column that Spark's Binarizer refuses
 * uncast), then the dirt every step removes: N/A ratings, rows whose tag and score are both missing (and rows with
 * only one missing, which `how: all` keeps), negative timestamps, re-ratings of a pair at a later ts, re-ratings at
 * the SAME ts with another rating (only the file position decides which survives), and a chain that a 3-core removes
 * in three passes (item x1 has 2 users; without it w1 has 2 items; without w1, item x2 has 2 users).
 */
function ratingsCsv(): string {
  const lines = ["user,item,rating,ts,tag,score"];
  let ts = 1000;
  for (let u = 0; u < 40; u++)
    for (let k = 0; k < 8; k++) lines.push(`u${u},i${(u * 3 + k) % 16},${1 + ((u * 7 + k * 3) % 5)},${ts++},t${(u + k) % 3},${(u * k) % 7}`);
  for (let u = 0; u < 6; u++) lines.push(`u${u},i${(u * 3) % 16},N/A,${ts++},t0,1`);
  for (let u = 6; u < 10; u++) lines.push(`u${u},i${(u * 3 + 1) % 16},4,${ts++},N/A,N/A`);
  for (let u = 10; u < 14; u++) lines.push(`u${u},i${(u * 3 + 2) % 16},2,${ts++},N/A,${u}`);
  for (let u = 14; u < 18; u++) lines.push(`u${u},i${(u * 3 + 3) % 16},5,-${u},t1,2`);
  // Later re-ratings: keep last takes these, keep first the originals.
  for (let u = 18; u < 24; u++) lines.push(`u${u},i${(u * 3) % 16},${1 + (u % 5)},${5000 + u},t2,3`);
  // Ties on orderBy: the same pair at the same ts as its original row (u24's first item has ts 1000 + 24 * 8).
  for (let u = 24; u < 30; u++) lines.push(`u${u},i${(u * 3) % 16},${1 + ((u + 2) % 5)},${1000 + u * 8},t0,4`);
  lines.push(`w1,x1,5,${ts++},t0,1`, `w2,x1,4,${ts++},t0,1`, `w1,i0,3,${ts++},t1,1`, `w1,x2,2,${ts++},t1,1`);
  lines.push(`u0,x2,4,${ts++},t2,1`, `u1,x2,5,${ts++},t2,1`, `w2,i1,1,${ts++},t0,1`);
  return lines.join("\n") + "\n";
}

function pipelineYaml(keep: "first" | "last"): string {
  return `name: prep-${keep}
seed: 5
source: {path: ratings.csv, nullValues: ["N/A"]}
prepare:
  - {type: drop-na, cols: [rating]}
  - {name: no-empty-notes, type: drop-na, cols: [tag, score], how: all}
  - {type: sql-transformer, statement: "SELECT * FROM __THIS__ WHERE ts >= 0"}
  - {name: dedup, type: drop-duplicates, cols: [user, item], keep: ${keep}, orderBy: ts}
  - {type: min-count-filter, userCol: user, itemCol: item, minUserCount: 3, minItemCount: 3, iterative: true}
  - {type: binarizer, inputCol: rating, outputCol: liked, threshold: 3.5}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {name: high, type: binarizer, inputCol: score, outputCol: high, threshold: 3}
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex]}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 3, maxIter: 3, regParam: 0.1, coldStartStrategy: drop}
evaluate:
  - {type: regression-evaluator, metricName: rmse}
output: {dir: runs}
`;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-remote-prepare-"));
  writeFileSync(path.join(dir, "ratings.csv"), ratingsCsv());
  for (const keep of ["first", "last"] as const) writeFileSync(path.join(dir, `${keep}.yaml`), pipelineYaml(keep));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every row as one string, sorted: Spark keeps no row order, the rows themselves must be equal. */
function rowSet(t: Table, cols: string[]): string[] {
  const out: string[] = [];
  for (let r = 0; r < t.numRows; r++)
    out.push(cols.map((c) => JSON.stringify(t.getChild(c)!.get(r) === null ? null : String(t.getChild(c)!.get(r)))).join(","));
  return out.sort();
}

const COLS = ["user", "item", "rating", "ts", "tag", "score", "liked"];

describe.each(SPARK_LINES)("Spark %s: prepare agrees across engines", (line) => {
  const info = serverInfo(line);

  it.runIf(!("missing" in info)).each(["first", "last"] as const)(
    "keep: %s: the same rows after prepare, and the same funnel in manifest.json and metrics.json",
    async (keep) => {
      const server = await waitForServer(info);
      const file = path.join(dir, `${keep}.yaml`);
      const loaded = await loadPipelineFile(file);
      const { spec } = loaded;
      const steps = prepareSteps(loaded).map((s) => s.stage);
      const cols = recommenderIdColumns(spec.pipeline);
      const { table } = await readSource(spec.source, loaded.baseDir, spec.seed, silentProgress);
      // An integer rating: the binarizer's input is a column Spark's own Binarizer refuses uncast.
      for (const c of ["rating", "score"]) expect(DataType.isInt(table.schema.fields.find((f) => f.name === c)!.type), c).toBe(true);
      const local = await applyPrepare(steps, table, quietContext(), cols);

      const client = await SparkConnectClient.connect(parseRemoteUrl(server.url, {}), "recpipe-test");
      const ml = new SparkMl(client);
      let remoteRows: Table;
      try {
        const data = await remoteSource(ml, spec.source, loaded.baseDir, spec.seed, silentProgress, true);
        const prepared = await prepareRemote({ rel: data.relation, positioned: data.positioned }, prepareSteps(loaded), {
          ml,
          registry: loaded.registry,
          seed: spec.seed,
          cols,
          log: () => undefined,
          cache: async (rel) => void (await client.persist(rel)),
        });
        expect(prepared.funnel).toEqual(local.funnel);
        remoteRows = await ml.collect(prepared.data, "the rows after prepare");
      } finally {
        await ml.releaseAll();
        await client.releaseSession();
        client.close();
      }
      expect(remoteRows.schema.fields.map((f) => f.name)).toEqual(COLS);
      expect(local.table.schema.fields.map((f) => f.name)).toEqual(COLS);
      expect(remoteRows.numRows).toBe(local.table.numRows);
      expect(rowSet(remoteRows, COLS)).toEqual(rowSet(local.table, COLS));

      // What the data exercises (so the agreement is not vacuous): every step removed rows, the k-core took the chain.
      const rows = local.funnel.map((f) => f.rows);
      for (let i = 1; i < rows.length - 1; i++) expect(rows[i], `${local.funnel[i].step} removes rows`).toBeLessThan(rows[i - 1]);
      const users = rowSet(local.table, ["user"]);
      expect(users).not.toContain('"w1"');
      expect(rowSet(local.table, ["item"])).not.toContain('"x2"');

      // The whole file on both engines: the funnel each run directory records is the same.
      const [l, r] = await Promise.all([
        run(file, { outDir: path.join(dir, `local-${line}`), workers: 1 }),
        run(file, { outDir: path.join(dir, `remote-${line}`), remote: server.url }),
      ]);
      expect(r.prepare).toEqual(local.funnel);
      expect(l.prepare).toEqual(local.funnel);
      for (const f of ["manifest.json", "metrics.json"]) {
        const remoteFunnel = JSON.parse(readFileSync(path.join(r.runDir, f), "utf8")).prepare;
        expect(remoteFunnel, f).toEqual(JSON.parse(readFileSync(path.join(l.runDir, f), "utf8")).prepare);
        expect(remoteFunnel, f).toEqual(local.funnel);
      }
      expect(Number.isFinite(r.metrics.rmse)).toBe(true);
      // The pipeline's binarizer read an integer column on the cluster (cast for Spark's Binarizer), and the model
      // saves the user's inputCol, not the cast's.
      const stagesDir = path.join(r.runDir, "model", "stages");
      const high = readdirSync(stagesDir).find((d) => d.startsWith("0_"))!;
      const meta = JSON.parse(readFileSync(path.join(stagesDir, high, "metadata", "part-00000"), "utf8"));
      expect(meta.class).toBe("org.apache.spark.ml.feature.Binarizer");
      expect(meta.paramMap).toMatchObject({ inputCol: "score", outputCol: "high", threshold: 3 });
    },
    600_000,
  );
});
