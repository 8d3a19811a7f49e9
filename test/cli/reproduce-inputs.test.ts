/**
 * `recpipe reproduce` verifies every input before re-running: a Spark-style folder of part files is hashed (sorted
 * file list + contents) like a file, and an input the manifest gives no hash for is reported, not silently skipped.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { tableFromArrays } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTable } from "../../src/io/write-table.js";
import { runCliAsync } from "./run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-reproduce-inputs-"));
const folder = path.join(dir, "ratings");
let runDir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function part(seedOffset: number): ReturnType<typeof tableFromArrays> {
  const n = 600;
  return tableFromArrays({
    user: Int32Array.from({ length: n }, (_, i) => (i * 7 + seedOffset) % 40),
    item: Int32Array.from({ length: n }, (_, i) => (i * 13 + seedOffset) % 30),
    rating: Float32Array.from({ length: n }, (_, i) => 1 + ((i + seedOffset) % 5)),
  });
}

beforeAll(async () => {
  mkdirSync(folder);
  await writeTable(part(0), path.join(folder, "part-00000.parquet"), { format: "parquet" });
  await writeTable(part(3), path.join(folder, "part-00001.parquet"), { format: "parquet" });
  writeFileSync(
    path.join(dir, "p.yaml"),
    "name: folder\nsource: {path: ratings, format: parquet}\npipeline:\n  - {type: als, userCol: user, itemCol: item, rank: 2, maxIter: 2, coldStartStrategy: drop}\n",
  );
  const r = await runCliAsync(["run", "p.yaml", "--json", "--quiet", "--workers", "1"], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  runDir = (JSON.parse(r.stdout) as { runDir: string }).runDir;
});

describe("recpipe reproduce checks every input", () => {
  it("a folder source is verified: reproduces with no UNVERIFIED line", async () => {
    const r = await runCliAsync(["reproduce", runDir, "--quiet"], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain("UNVERIFIED");
  });

  it("an input the manifest records no hash for is reported as UNVERIFIED", async () => {
    const manifestPath = path.join(runDir, "manifest.json");
    const original = readFileSync(manifestPath, "utf8");
    const m = JSON.parse(original) as { inputs: { sha256?: string }[] };
    delete m.inputs[0].sha256;
    writeFileSync(manifestPath, JSON.stringify(m));
    try {
      const r = await runCliAsync(["reproduce", runDir, "--quiet"], { cwd: dir });
      expect(r.stdout).toMatch(/UNVERIFIED input .*ratings: manifest\.json records no sha256/);
      expect(r.stdout).toMatch(/1 input\(s\) could not be verified/);
    } finally {
      writeFileSync(manifestPath, original);
    }
  });

  it("a changed part file in the folder is caught as an input difference, before anything re-runs", async () => {
    await writeTable(part(4), path.join(folder, "part-00001.parquet"), { format: "parquet" });
    const r = await runCliAsync(["reproduce", runDir, "--quiet"], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/DIFFERENT\s+input .*ratings: sha256 [0-9a-f]{16}\.\.\. differs from the recorded/);
    expect(r.stdout.match(/DIFFERENT/g)).toHaveLength(1);
  });
});
