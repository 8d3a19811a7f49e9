/**
 * A run killed midway leaves nothing that looks complete: the run directory is built under a hidden temporary sibling
 * and renamed into place only at the end. And saveModel never replaces an existing model unless asked to.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import type { SavedStage } from "../../src/core/saved-stage.js";
import { listFilesRecursive } from "../../src/io/atomic-dir.js";
import { loadSavedStage, saveModel } from "../../src/io/model-store.js";
import { alsFactorTable } from "../io/als-factors.js";
import { cliMain } from "./run-cli.js";

// About 1.6M ratings and 10 ALS sweeps: tens of seconds on 2 cores, so a kill lands long before the end.
const BIG = `name: big
seed: 1
source: {type: synthetic-ratings, users: 20000, items: 4000, rank: 8, density: 0.02, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: keep}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 8, maxIter: 10, regParam: 0.05, coldStartStrategy: drop}
recommend: {k: 10, users: all, excludeSeen: true}
`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-killed-"));
  writeFileSync(path.join(dir, "big.yaml"), BIG);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts `recpipe run`, SIGKILLs it `afterMs` after `waitFor` appears on stderr (or after start), returns how it ended. */
async function killMidway(outDir: string, afterMs: number, waitFor?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [cliMain, "run", path.join(dir, "big.yaml"), "--out", outDir, "--workers", "2"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  let timer: NodeJS.Timeout | undefined;
  const arm = () => (timer ??= setTimeout(() => child.kill("SIGKILL"), afterMs));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (waitFor && stderr.includes(waitFor)) arm();
  });
  if (!waitFor) arm();
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/** Entries of the output folder that a user (or `ls`) would take for a run directory. */
function visibleEntries(outDir: string): string[] {
  return existsSync(outDir) ? readdirSync(outDir).filter((e) => !e.startsWith(".")) : [];
}

describe("a killed run leaves no complete-looking directory", () => {
  it("SIGKILL about 1 s after start: only hidden temporary siblings, or nothing", async () => {
    const out = path.join(dir, "runs-1s");
    const r = await killMidway(out, 1000);
    expect(r.signal, `the run finished before the kill: ${r.stderr}`).toBe("SIGKILL");
    expect(visibleEntries(out)).toEqual([]);
  });

  it("SIGKILL during fitting, after the split was logged: still nothing visible", async () => {
    const out = path.join(dir, "runs-fit");
    const r = await killMidway(out, 300, "split:");
    expect(r.signal, `the run finished before the kill: ${r.stderr}`).toBe("SIGKILL");
    expect(r.stderr).toContain("split:");
    expect(visibleEntries(out)).toEqual([]);
    // Whatever was left is a hidden temp sibling named after the run.
    for (const e of existsSync(out) ? readdirSync(out) : []) expect(e).toMatch(/^\.big-\d{8}-\d{6}\.tmp-/);
  });
});

describe("saveModel over an existing directory", () => {
  const stage = (seed: number): SavedStage => ({
    className: "org.apache.spark.ml.recommendation.ALSModel",
    uid: "als_0123456789ab",
    timestamp: 1,
    paramMap: { userCol: "user", itemCol: "item" },
    defaultParamMap: {},
    extra: { rank: 2 },
    tables: { userFactors: alsFactorTable([1, 2], 2, seed), itemFactors: alsFactorTable([5], 2, seed) },
  });

  it("is refused without overwrite (E_FILE naming the path) and leaves the old model untouched", async () => {
    const target = path.join(dir, "model-a");
    await saveModel(target, stage(1));
    const before = await listFilesRecursive(target);
    const bytes = before.map((f) => readFileSync(path.join(target, f)));
    const err = await saveModel(target, stage(2)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe("E_FILE");
    expect((err as Error).message).toContain(target);
    expect((err as Error).message).toContain("already exists");
    expect(await listFilesRecursive(target)).toEqual(before);
    before.forEach((f, i) => expect(readFileSync(path.join(target, f)).equals(bytes[i]), f).toBe(true));
    expect(readdirSync(dir).filter((e) => e.startsWith(".model-a"))).toEqual([]); // no temp left behind
  });

  it("replaces the model with overwrite: the new factors are there, nothing of the old tree or temp dirs remains", async () => {
    const target = path.join(dir, "model-b");
    await saveModel(target, stage(1));
    writeFileSync(path.join(target, "stray-file-from-before"), "x");
    await saveModel(target, stage(2), { overwrite: true });
    expect(existsSync(path.join(target, "stray-file-from-before"))).toBe(false);
    const loaded = await loadSavedStage(target);
    const want = alsFactorTable([1, 2], 2, 2).getChild("features")!.get(0) as Iterable<number>;
    expect([...(loaded.tables!.userFactors.getChild("features")!.get(0) as Iterable<number>)]).toEqual([...want]);
    expect(readdirSync(dir).filter((e) => e.startsWith(".model-b"))).toEqual([]);
  });
});
