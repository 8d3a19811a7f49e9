/**
 * Where this Node cannot run relaxed SIMD (simulated: the feature probe answers false), `--kernel fma` and
 * reproducing an FMA run are refused with exit 2 before anything runs, `--kernel auto` falls back to the portable
 * kernel and records it; a manifest naming an unknown kernel is refused too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../src/run/run.js";
import { reproduce } from "../../src/runs/reproduce.js";

const probe = vi.hoisted(() => ({ available: true }));
vi.mock("../../src/kernels/als-kernel-choice.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/kernels/als-kernel-choice.js")>();
  return { ...real, relaxedSimdAvailable: () => probe.available && real.relaxedSimdAvailable() };
});

const PIPELINE = `name: kern
seed: 2
source: {type: synthetic-ratings, users: 120, items: 80, rank: 3, density: 0.2, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: keep}
  - {type: als, userCol: userIndex, itemCol: itemIndex, rank: 4, maxIter: 3, implicitPrefs: true, solver: cg, coldStartStrategy: drop}
`;

let dir: string;
let fmaRun: string;
const kernelOf = (runDir: string) => (JSON.parse(readFileSync(path.join(runDir, "manifest.json"), "utf8")) as { kernels?: { als: string } }).kernels?.als;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-kernel-off-"));
  writeFileSync(path.join(dir, "kern.yaml"), PIPELINE);
  probe.available = true;
  fmaRun = (await run(path.join(dir, "kern.yaml"), { workers: 1, kernel: "fma", outDir: path.join(dir, "fma") })).runDir;
});

afterAll(() => {
  probe.available = true;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("ALS kernel unavailable", () => {
  it("the FMA run recorded its kernel, and reproduces while the kernel is available", async () => {
    expect(kernelOf(fmaRun)).toBe("simd128-fma");
    const r = await reproduce(fmaRun, { workers: 2 });
    expect(r.differences).toEqual([]);
  });

  it("reproduce refuses an FMA run with exit 2, naming the kernel, before running anything", async () => {
    probe.available = false;
    await expect(reproduce(fmaRun)).rejects.toMatchObject({ exitCode: 2, code: "E_UNSUPPORTED", message: expect.stringMatching(/simd128-fma.*cannot run/) });
  });

  it("run --kernel fma is exit 2; --kernel auto runs the portable kernel and records it", async () => {
    probe.available = false;
    await expect(run(path.join(dir, "kern.yaml"), { workers: 1, kernel: "fma", outDir: path.join(dir, "no") })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/--kernel fma: .*relaxed SIMD/),
    });
    const auto = await run(path.join(dir, "kern.yaml"), { workers: 1, kernel: "auto", outDir: path.join(dir, "auto") });
    expect(kernelOf(auto.runDir)).toBe("simd128");
    probe.available = true;
    const autoHere = await run(path.join(dir, "kern.yaml"), { workers: 1, kernel: "auto", outDir: path.join(dir, "auto-here") });
    expect(kernelOf(autoHere.runDir)).toBe("simd128-fma");
  });

  it("a manifest naming an unknown kernel is exit 2, naming the file and the key", async () => {
    const file = path.join(fmaRun, "manifest.json");
    const m = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...m, kernels: { als: "avx512" } }));
    await expect(reproduce(fmaRun)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/manifest\.json: kernels\.als must be .*"avx512"/) });
  });
});
