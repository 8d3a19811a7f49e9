/**
 * Whatever ends a run, the exit code is 0, 1 or 2 and the last line says what happened: the CLI runs its commands in
 * a supervised child process, so a V8 heap overflow (which no try/catch sees) becomes exit 1 with "out of memory",
 * Ctrl-C becomes exit 1 with no run directory left, and killing the parent stops the child too.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crashMessage } from "../../src/cli/crash-message.js";
import { cliMain } from "./run-cli.js";

const BIG = `name: big
seed: 1
source: {type: synthetic-ratings, users: 20000, items: 4000, rank: 8, density: 0.02, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: keep}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 8, maxIter: 30, regParam: 0.05, coldStartStrategy: drop}
recommend: {k: 10, users: all, excludeSeen: true}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-crash-"));
  writeFileSync(path.join(dir, "big.yaml"), BIG);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function start(nodeArgs: string[], args: string[]) {
  const child = spawn(process.execPath, [...nodeArgs, cliMain, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, RECPIPE_DEBUG: "" } });
  let stderr = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters.splice(0)) (stderr.includes(w.text) ? w.resolve : () => waiters.push(w))();
  });
  const ended = new Promise<Ended>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
  const seen = (text: string) => new Promise<void>((resolve) => (stderr.includes(text) ? resolve() : waiters.push({ text, resolve })));
  return { child, ended, seen };
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a crash no JavaScript can catch", () => {
  it("V8 running out of heap ends in exit 1 and a message that says out of memory and what to do", async () => {
    const out = path.join(dir, "runs-oom");
    const r = await start(["--max-old-space-size=20"], ["run", path.join(dir, "big.yaml"), "--out", out, "--quiet"]).ended;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    const last = r.stderr.trim().split("\n").at(-1)!;
    expect(last).toMatch(/^recpipe: out of memory/);
    expect(last).toContain("heap out of memory");
    expect(last).toMatch(/fewer ratings.*lower ALS rank.*--remote/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("names V8's invalid-size abort and the OOM killer's SIGKILL as memory, anything else as an internal error", () => {
    const fatal = "\n#\n# Fatal error in , line 0\n# Fatal JavaScript invalid size error 169220804 (see crbug.com/1201626)\n#\n";
    expect(crashMessage({ code: null, signal: "SIGTRAP", stderrTail: fatal })).toMatch(
      /^recpipe: out of memory.*Fatal JavaScript invalid size error 169220804/,
    );
    expect(crashMessage({ code: null, signal: "SIGKILL", stderrTail: "" })).toMatch(/killed \(signal SIGKILL\).*out of memory/);
    expect(crashMessage({ code: 139, signal: null, stderrTail: "" })).toMatch(/^recpipe: internal error.*exit code 139/);
  });
});

describe("signals", () => {
  it("Ctrl-C (SIGINT) during fitting: exit 1, 'interrupted', and no run directory, not even a hidden temporary one", async () => {
    const out = path.join(dir, "runs-int");
    const run = start([], ["run", path.join(dir, "big.yaml"), "--out", out, "--workers", "2"]);
    await run.seen("split:");
    run.child.kill("SIGINT");
    const r = await run.ended;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^recpipe: interrupted \(SIGINT\)/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("SIGKILL of the recpipe process also ends the process doing the work", async () => {
    const out = path.join(dir, "runs-kill");
    const run = start([], ["run", path.join(dir, "big.yaml"), "--out", out, "--workers", "2"]);
    await run.seen("split:");
    const workers = childrenOf(run.child.pid!);
    expect(workers.length).toBe(1);
    run.child.kill("SIGKILL");
    await run.ended;
    const deadline = Date.now() + 30_000;
    while (alive(workers[0]) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(workers[0])).toBe(false);
    expect(existsSync(out) ? readdirSync(out).filter((e) => !e.startsWith(".")) : []).toEqual([]);
  });
});
