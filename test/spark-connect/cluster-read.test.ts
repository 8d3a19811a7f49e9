/**
 * A `file://` source is read by the cluster (Spark's DataSource reader), not uploaded, on the real Spark 4.0.x server;
 * `source.types` applies there as it does locally: ids declared as strings keep their leading zeros, and a key naming
 * no column is exit 2 naming the key.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "../../src/io/read-table.js";
import { run } from "../../src/run/run.js";
import { runCliAsync } from "../cli/run-cli.js";
import { serverInfo, waitForServer } from "./spark-server.js";

let dir: string;

function yaml(name: string, source: string, types: string): string {
  return `name: ${name}
seed: 5
source: {path: ${JSON.stringify(source)}, types: ${types}}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: keep}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 2, maxIter: 2, coldStartStrategy: drop}
recommend: {k: 2, users: all, excludeSeen: false}
output: {dir: runs}
`;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-cluster-read-"));
  // User ids written with leading zeros ("007"): numbers to an inferring reader, ids to whoever declares them strings.
  const rows = ["user,item,rating"];
  for (let u = 0; u < 40; u++) for (let i = 0; i < 12; i++) if ((u + 2 * i) % 3 !== 0) rows.push(`${String(u).padStart(3, "0")},${i},${1 + ((u * i) % 5)}`);
  writeFileSync(path.join(dir, "ratings.csv"), rows.join("\n") + "\n");
  const url = `file://${path.join(dir, "ratings.csv")}`;
  writeFileSync(path.join(dir, "declared.yaml"), yaml("declared", url, "{user: string}"));
  writeFileSync(path.join(dir, "local.yaml"), yaml("local", "ratings.csv", "{user: string}"));
  writeFileSync(path.join(dir, "misnamed.yaml"), yaml("misnamed", url, "{usr: string}"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const users = async (runDir: string) => new Set((await readTable(path.join(runDir, "recommendations.parquet"))).getChild("user")!.toArray() as string[]);

describe("Spark 4.0: a file:// source is read by the cluster", () => {
  const info = serverInfo("4.0");

  it.runIf(!("missing" in info))(
    "source.types: user ids declared as strings keep their leading zeros, as in a local run",
    async () => {
      const server = await waitForServer(info);
      const [remote, local] = await Promise.all([
        run(path.join(dir, "declared.yaml"), { outDir: path.join(dir, "runs"), remote: server.url }),
        run(path.join(dir, "local.yaml"), { outDir: path.join(dir, "runs"), workers: 1 }),
      ]);
      // Read by the cluster: the manifest records the file:// path itself as the input.
      const manifest = JSON.parse(readFileSync(path.join(remote.runDir, "manifest.json"), "utf8"));
      expect(manifest.inputs[0]).toMatchObject({ kind: "file", path: `file://${path.join(dir, "ratings.csv")}` });
      const fromSpark = await users(remote.runDir);
      expect(fromSpark.has("007")).toBe(true);
      expect(fromSpark.has("7")).toBe(false);
      expect([...fromSpark].sort()).toEqual([...(await users(local.runDir))].sort());
    },
    300_000,
  );

  it.runIf(!("missing" in info))(
    "a source.types key naming no column: exit 2 naming the key, no run directory",
    async () => {
      const server = await waitForServer(info);
      const r = await runCliAsync(["run", path.join(dir, "misnamed.yaml"), "--remote", server.url, "--out", path.join(dir, "bad-runs"), "--quiet"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/source\.types\.usr: file:\/\/.*ratings\.csv has no column "usr" \(did you mean "user"\?\); columns are user, item, rating/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(existsSync(path.join(dir, "bad-runs")) ? readdirSync(path.join(dir, "bad-runs")) : []).toEqual([]);
    },
    300_000,
  );
});
