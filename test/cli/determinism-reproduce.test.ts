/**
 * Same pipeline + seed => byte-identical model Parquet whatever --workers is; `recpipe reproduce RUN` re-runs a run
 * directory and verifies it (exit 0), and catches an artefact edited after the run (exit 1, naming the file).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFilesRecursive } from "../../src/io/atomic-dir.js";
import { runCliAsync, type CliResult } from "./run-cli.js";

const PIPELINE = `name: det
seed: 3
source: {type: synthetic-ratings, users: 400, items: 300, rank: 4, density: 0.1, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: keep}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 4, maxIter: 5, regParam: 0.05, coldStartStrategy: drop}
recommend: {k: 5, users: all, excludeSeen: true}
`;

let dir: string;
let one: string;
let two: string;

async function runWith(workers: number): Promise<string> {
  const r = await runCliAsync(["run", path.join(dir, "det.yaml"), "--workers", String(workers), "--out", path.join(dir, `w${workers}`), "--json", "--quiet"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { runDir: string }).runDir;
}

const parquetUnder = async (d: string) => (await listFilesRecursive(d)).filter((f) => f.endsWith(".parquet"));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-determinism-"));
  writeFileSync(path.join(dir, "det.yaml"), PIPELINE);
  one = await runWith(1);
  two = await runWith(2);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("determinism across worker counts, and recpipe reproduce", () => {
  it("--workers 1 and --workers 2 write byte-identical model Parquet files (and recommendations)", async () => {
    const files = await parquetUnder(one);
    expect(files.filter((f) => f.startsWith("model/"))).toHaveLength(3); // indexer data, userFactors, itemFactors
    expect(files).toContain("recommendations.parquet");
    expect(await parquetUnder(two)).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(two, f)).equals(readFileSync(path.join(one, f))), f).toBe(true);
  });

  it("the manifests record the worker counts and the same metrics", () => {
    const m1 = JSON.parse(readFileSync(path.join(one, "manifest.json"), "utf8")) as { workers: number; metrics: unknown };
    const m2 = JSON.parse(readFileSync(path.join(two, "manifest.json"), "utf8")) as { workers: number; metrics: unknown };
    expect([m1.workers, m2.workers]).toEqual([1, 2]);
    expect(m2.metrics).toEqual(m1.metrics);
  });

  it("recpipe reproduce verifies a fresh run: exit 0", async () => {
    const r: CliResult = await runCliAsync(["reproduce", one, "--quiet"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/reproduced: \d+ artefacts identical/);
    expect(r.stdout).not.toContain("DIFFERENT");
  });

  it("recpipe reproduce verifies a run directory written before recpipe wrote checksum files (exit 0)", async () => {
    // Such a directory: no .crc files, none in its manifest. The re-run writes them; they are skipped, not differences.
    const old = path.join(dir, "before-checksums");
    cpSync(one, old, { recursive: true });
    const crcs = (await listFilesRecursive(old)).filter((f) => /(^|\/)\.[^/]+\.crc$/.test(f));
    expect(crcs.length).toBeGreaterThan(0);
    for (const f of crcs) rmSync(path.join(old, f));
    const manifest = JSON.parse(readFileSync(path.join(old, "manifest.json"), "utf8")) as { artefacts: { path: string }[] };
    manifest.artefacts = manifest.artefacts.filter((a) => !crcs.includes(a.path));
    writeFileSync(path.join(old, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    const r = await runCliAsync(["reproduce", old, "--quiet"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain("DIFFERENT");
    expect(r.stdout).toMatch(/skipped +model\/.*\.crc \(a checksum file/);
  });

  it("recpipe reproduce with another worker count still reproduces (exit 0)", async () => {
    const r = await runCliAsync(["reproduce", one, "--workers", "2", "--quiet"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it("recpipe reproduce detects a model file tampered with after the run: exit 1, naming it", async () => {
    const alsDir = readdirSync(path.join(two, "model", "stages")).find((d) => d.startsWith("1_"))!;
    const factors = path.join(two, "model", "stages", alsDir, "itemFactors");
    const part = readdirSync(factors).find((f) => f.endsWith(".parquet"))!;
    const bytes = readFileSync(path.join(factors, part));
    bytes[bytes.length >> 1] ^= 0x01; // one bit in the middle of the column data
    writeFileSync(path.join(factors, part), bytes);
    const r = await runCliAsync(["reproduce", two, "--quiet"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain(`DIFFERENT  model/stages/${alsDir}/itemFactors/${part}`);
    expect(r.stdout).toContain("not reproduced");
  });

  it("recpipe reproduce detects an edited metrics.json: exit 1", async () => {
    const f = path.join(one, "metrics.json");
    writeFileSync(f, readFileSync(f, "utf8").replace(/"rmse": (\d)/, '"rmse": 9$1'));
    const r = await runCliAsync(["reproduce", one, "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("DIFFERENT  metrics.json");
  });
});
