/**
 * Ctrl-C during a remote fit, through the built CLI against the real Spark 4.0.x server: exit 1, one line saying the
 * run was interrupted, no run directory, and the server no longer holds the run's session (and with it the session's
 * models): joining the same session afterwards is refused with Spark's INVALID_HANDLE.SESSION_CLOSED, and the server
 * logged no failure while closing it.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SparkConnectClient } from "../../src/engines/spark-connect/transport/client.js";
import { parseRemoteUrl } from "../../src/engines/spark-connect/transport/remote-url.js";
import { cliMain } from "../cli/run-cli.js";
import { serverInfo, waitForServer } from "./spark-server.js";

// 15 ALS sweeps on ~15k ratings: each sweep is several Spark jobs, so the fit lasts many seconds on local[2] and the
// interrupt, sent 2 s after the split is logged (right before the fit starts), lands inside it.
const SLOW = `name: slow
seed: 1
source: {type: synthetic-ratings, users: 1000, items: 300, rank: 4, density: 0.05, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex]}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 4, maxIter: 15, regParam: 0.05, coldStartStrategy: drop}
output: {dir: runs}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-remote-sigint-"));
  writeFileSync(path.join(dir, "slow.yaml"), SLOW);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI and sends SIGINT (as Ctrl-C does, through the supervising parent) `delayMs` after `marker` shows. */
function runAndInterrupt(args: string[], marker: string, delayMs: number): Promise<{ code: number | null; stderr: string; interrupted: boolean }> {
  const child = spawn(process.execPath, [cliMain, ...args], { cwd: dir, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, RECPIPE_DEBUG: "" } });
  let stderr = "";
  let timer: NodeJS.Timeout | undefined;
  let interrupted = false;
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (!timer && stderr.includes(marker)) {
      timer = setTimeout(() => {
        interrupted = true;
        child.kill("SIGINT");
      }, delayMs);
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, interrupted });
    });
  });
}

describe("Ctrl-C during a remote run", () => {
  const info = serverInfo("4.0");
  it.runIf(!("missing" in info))(
    "stops the fit, releases the session on the server, exits 1 with one line and leaves no run directory",
    async () => {
      const server = await waitForServer(info);
      const session = randomUUID();
      const url = `${server.url}/;session_id=${session}`;
      const r = await runAndInterrupt(["run", "slow.yaml", "--remote", url], "split:", 2_000);
      expect(r.interrupted, `the run ended before the interrupt:\n${r.stderr}`).toBe(true);
      expect(r.code, r.stderr).toBe(1);
      const said = r.stderr.split("\n").filter((l) => /interrupt|error/i.test(l));
      expect(said, r.stderr).toEqual([
        `recpipe: interrupted (SIGINT); the run stopped before finishing and left no run directory; stopping the Spark jobs and releasing the server-side models and cached data at ${url} (Ctrl-C again to quit at once)`,
      ]);
      const runs = path.join(dir, "runs");
      expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);

      // The session is gone: the server refuses to take it up again (an unreleased session would simply be joined).
      const err = await SparkConnectClient.connect(parseRemoteUrl(url, {}), "recpipe-test").then(
        (c) => {
          c.close();
          return undefined;
        },
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(new RegExp(`INVALID_HANDLE\\.SESSION_CLOSED.*${session}`));
      // ...and it was closed whole: Spark 4.0 gives up half-way (before dropping the session's models) when a session is
      // released while one of its operations is still running.
      const log = readFileSync("log" in info ? info.log : "", "utf8");
      expect(log).not.toMatch(new RegExp(`error during: releaseSession\\. UserId: [^.]+\\. SessionId: ${session}`));
    },
    180_000,
  );
});
