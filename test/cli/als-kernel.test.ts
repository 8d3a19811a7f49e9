/**
 * `recpipe run --kernel fma|portable|auto`: the manifest records the ALS kernel that ran, the FMA kernel's artefacts
 * are byte-identical for any worker count (and differ from the portable kernel's in the last bits), and
 * `recpipe reproduce` re-runs with the recorded kernel.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "./run-cli.js";

const PIPELINE = `name: kern
seed: 5
source: {type: synthetic-ratings, users: 300, items: 200, rank: 4, density: 0.15, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: keep}
  - {type: als, userCol: userIndex, itemCol: itemIndex, rank: 8, maxIter: 4, regParam: 0.05, implicitPrefs: true, solver: cg, coldStartStrategy: drop}
`;

let dir: string;
const runs: Record<string, string> = {};

async function runWith(name: string, ...args: string[]): Promise<string> {
  const r = await runCliAsync(["run", path.join(dir, "kern.yaml"), ...args, "--out", path.join(dir, name), "--json", "--quiet"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { runDir: string }).runDir;
}
const manifest = (runDir: string) => JSON.parse(readFileSync(path.join(runDir, "manifest.json"), "utf8")) as { kernels?: { als: string } };
/** The model's factor Parquet files, by path. */
function factorFiles(runDir: string): Map<string, Buffer> {
  const paths = (JSON.parse(readFileSync(path.join(runDir, "manifest.json"), "utf8")) as { artefacts: { path: string }[] }).artefacts.map((a) => a.path);
  const chosen = paths.filter((p) => /Factors\/part-.*\.parquet$/.test(p));
  expect(chosen).toHaveLength(2);
  return new Map(chosen.map((p) => [p, readFileSync(path.join(runDir, p))]));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-kernel-"));
  writeFileSync(path.join(dir, "kern.yaml"), PIPELINE);
  runs.fma1 = await runWith("fma1", "--kernel", "fma", "--workers", "1");
  runs.fma2 = await runWith("fma2", "--kernel", "fma", "--workers", "2");
  runs.portable = await runWith("portable", "--workers", "2");
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("run --kernel", () => {
  it("the manifest records the ALS kernel: simd128 by default, simd128-fma with --kernel fma", () => {
    expect(manifest(runs.portable).kernels).toEqual({ als: "simd128" });
    expect(manifest(runs.fma1).kernels).toEqual({ als: "simd128-fma" });
    expect(manifest(runs.fma2).kernels).toEqual({ als: "simd128-fma" });
  });

  it("fma: byte-identical factors for --workers 1 and 2, different bits from the portable kernel", () => {
    const one = factorFiles(runs.fma1);
    const two = factorFiles(runs.fma2);
    const portable = factorFiles(runs.portable);
    for (const [p, bytes] of one) {
      expect(two.get(p)?.equals(bytes), p).toBe(true);
      expect(portable.get(p)?.equals(bytes), p).toBe(false);
    }
  });

  it("recpipe reproduce re-runs an fma run with the fma kernel: exit 0", async () => {
    const r = await runCliAsync(["reproduce", runs.fma2, "--workers", "1", "--quiet"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/reproduced: \d+ artefacts identical/);
  });

  it("an unknown --kernel is exit 2, naming the choices", async () => {
    const r = await runCliAsync(["run", path.join(dir, "kern.yaml"), "--kernel", "avx512", "--out", path.join(dir, "bad"), "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kernel.*avx512|avx512.*portable, fma, auto/s);
  });
});
