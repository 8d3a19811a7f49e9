/**
 * Needs Spark (run with `heavy`): bad input to a `prepare:` step on the real Spark 4.0.x server is exit 2 naming
 * `prepare[i]` and the key, with the local engine's own message when recpipe read the file (and so knows each row's
 * position); no run directory is left. A file the cluster reads itself has no known row order: a drop-duplicates whose
 * ties only the file position would decide is refused, telling the user to add an orderBy that decides them.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/run/run.js";
import { runCliAsync } from "../cli/run-cli.js";
import { serverInfo, waitForServer } from "./spark-server.js";
import { inputError } from "../input-error.js";

let dir: string;

/** 20 users x 5 items; then (user u1, item i1) again (row 100), and a row whose ts is null (row 101). */
function ratingsCsv(): string {
  const lines = ["user,item,rating,ts"];
  let ts = 0;
  for (let u = 0; u < 20; u++) for (let k = 0; k < 5; k++) lines.push(`u${u},i${(u + k) % 10},${1 + ((u * 3 + k) % 5)},${ts++}`);
  lines.push(`u1,i2,5,${ts++}`);
  lines.push(`u2,i9,4,`);
  return lines.join("\n") + "\n";
}

function yaml(name: string, source: string, prepare: string[]): string {
  return `name: ${name}
seed: 2
source: {path: ${JSON.stringify(source)}}
prepare:
${prepare.map((p) => `  - ${p}`).join("\n")}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex]}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 2, maxIter: 2, coldStartStrategy: drop}
output: {dir: runs-${name}}
`;
}

const cases: Record<string, string[]> = {
  "keep-error": ["{type: drop-na, cols: [rating]}", "{type: drop-duplicates, cols: [user, item], keep: error}"],
  "order-nulls": ["{type: drop-na, cols: [rating]}", "{type: drop-duplicates, cols: [user, item], keep: last, orderBy: ts}"],
  "no-rows": ["{type: drop-na, cols: [rating]}", '{type: sql-transformer, statement: "SELECT * FROM __THIS__ WHERE rating > 9"}'],
  "unknown-column": ['{type: sql-transformer, statement: "SELECT * FROM __THIS__ WHERE ratng > 1"}'],
};

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-remote-prepare-bad-"));
  writeFileSync(path.join(dir, "ratings.csv"), ratingsCsv());
  const url = `file://${path.join(dir, "ratings.csv")}`;
  for (const [name, steps] of Object.entries(cases)) {
    writeFileSync(path.join(dir, `${name}.yaml`), yaml(name, "ratings.csv", steps));
    writeFileSync(path.join(dir, `${name}-cluster.yaml`), yaml(`${name}-cluster`, url, steps));
  }
  // Read by the cluster: the duplicate (u1, i2) rows differ in rating and no orderBy decides which survives.
  writeFileSync(path.join(dir, "tie-cluster.yaml"), yaml("tie-cluster", url, ["{name: dedup, type: drop-duplicates, cols: [user, item], keep: last}"]));
  writeFileSync(
    path.join(dir, "tie-decided-cluster.yaml"),
    yaml("tie-decided-cluster", url, ["{type: drop-na, cols: [ts]}", "{name: dedup, type: drop-duplicates, cols: [user, item], keep: last, orderBy: ts}"]),
  );
  // A statement inside pipeline: naming a column the data lacks, on an uploaded file and on one the cluster reads.
  for (const [name, source] of [
    ["pipeline-sql", "ratings.csv"],
    ["pipeline-sql-cluster", url],
  ])
    writeFileSync(
      path.join(dir, `${name}.yaml`),
      yaml(name, source, ["{type: drop-na, cols: [rating]}"]).replace(
        "pipeline:\n",
        'pipeline:\n  - {name: clean, type: sql-transformer, statement: "SELECT * FROM __THIS__ WHERE ratng > 1"}\n',
      ),
    );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noRunDir = (name: string) => !existsSync(path.join(dir, `runs-${name}`)) || readdirSync(path.join(dir, `runs-${name}`)).length === 0;

describe("Spark 4.0: bad input to prepare steps on the cluster", () => {
  const info = serverInfo("4.0");

  it.runIf(!("missing" in info))(
    "an uploaded file: the local engine's message (prepare[i], key, row numbers) and exit 2, no run directory",
    async () => {
      const server = await waitForServer(info);
      const expected: Record<string, RegExp> = {
        "keep-error": /^prepare\[1\] \(drop-duplicates\)\.keep: error: rows 6 and 100 are duplicates on \[user, item\] \(user=u1, item=i2\); 1 rows duplicate/,
        "order-nulls": /^prepare\[1\] \(drop-duplicates\)\.orderBy: column "ts" must hold a value in every row to order duplicates by; row 101 holds null/,
        "no-rows": /^prepare\[1\] \(sql-transformer\): left no rows: it received 102 rows \(20 users, 10 items\) and kept none/,
        "unknown-column": /^prepare\[0\] \(sql-transformer\)\.statement: .*ratng/,
      };
      for (const name of Object.keys(cases)) {
        const file = path.join(dir, `${name}.yaml`);
        const local = await inputError(run(file, { workers: 1 }));
        const remote = await inputError(run(file, { remote: server.url }));
        expect(local, name).toMatch(expected[name]);
        expect(remote, name).toBe(local);
        expect(noRunDir(name), name).toBe(true);
      }
    },
    600_000,
  );

  it.runIf(!("missing" in info))(
    "a file the cluster reads: exit 2 naming prepare[i] and the key, without row numbers (the cluster keeps no file order)",
    async () => {
      const server = await waitForServer(info);
      const expected: Record<string, RegExp> = {
        "keep-error": /^prepare\[1\] \(drop-duplicates\)\.keep: error: rows are duplicates on \[user, item\] \(user=u1, item=i2\); 1 rows duplicate/,
        "order-nulls": /^prepare\[1\] \(drop-duplicates\)\.orderBy: column "ts" must hold a value in every row to order duplicates by; a row holds null/,
        "no-rows": /^prepare\[1\] \(sql-transformer\): left no rows: it received 102 rows \(20 users, 10 items\) and kept none/,
        "unknown-column": /^prepare\[0\] \(sql-transformer\)\.statement: .*ratng/,
      };
      for (const name of Object.keys(cases)) {
        const msg = await inputError(run(path.join(dir, `${name}-cluster.yaml`), { remote: server.url }));
        expect(msg, name).toMatch(expected[name]);
        expect(noRunDir(`${name}-cluster`), name).toBe(true);
      }
    },
    600_000,
  );

  it.runIf(!("missing" in info))(
    "a file the cluster reads: a tie only the file position decides is refused, saying to add an orderBy that decides it",
    async () => {
      const server = await waitForServer(info);
      const r = await runCliAsync(["run", path.join(dir, "tie-cluster.yaml"), "--remote", server.url, "--quiet"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        /prepare\[0\] \(drop-duplicates "dedup"\)\.keep: last: rows equal on \[user, item\] \(user=u1, item=i2\) differ in other columns/,
      );
      expect(r.stderr).toMatch(/add an orderBy/);
      expect(noRunDir("tie-cluster")).toBe(true);
      // With an orderBy whose values differ within every group, the cluster decides alone, as the local engine would.
      const ok = await run(path.join(dir, "tie-decided-cluster.yaml"), { remote: server.url });
      expect(ok.prepare?.map((f) => f.rows)).toEqual([102, 101, 100]);
      expect(ok.prepare?.at(-1)?.duplicatePairs).toBe(0);
    },
    600_000,
  );

  it.runIf(!("missing" in info))(
    "a sql-transformer inside pipeline: its errors name pipeline[i] and the key on the cluster too",
    async () => {
      const server = await waitForServer(info);
      const file = path.join(dir, "pipeline-sql.yaml");
      const local = await inputError(run(file, { workers: 1 }));
      expect(local).toMatch(/^pipeline\[0\] \(sql-transformer "clean"\)\.statement: .*"ratng" not found/);
      expect(await inputError(run(file, { remote: server.url }))).toBe(local);
      // Read by the cluster: Spark's own analysis error, named at the stage's place before any fit.
      const cluster = await inputError(run(path.join(dir, "pipeline-sql-cluster.yaml"), { remote: server.url }));
      expect(cluster).toMatch(/^pipeline\[0\] \(sql-transformer "clean"\)\.statement: Spark error .*UNRESOLVED_COLUMN.*`ratng`/);
      expect(noRunDir("pipeline-sql") && noRunDir("pipeline-sql-cluster")).toBe(true);
    },
    600_000,
  );
});
