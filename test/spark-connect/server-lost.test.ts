/**
 * A lost server is a failure of the run, not of a trial (issue 20): the test's own Spark 4.0.x server, killed
 * (SIGKILL) while a cross-validation runs on it with two trials at a time, ends recpipe at once with exit 1 and one
 * message naming the server and the phase; no NaN, no coldStartStrategy hint, no run directory. The same server
 * restarted on the same port then takes the next run to the end (with a checkpoint directory, so no checkpoint
 * warning for an ALS fit past checkpointInterval).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliMain, runCliAsync } from "../cli/run-cli.js";
import { freePort, startOwnServer, type OwnServer } from "./own-server.js";
import { serverInfo } from "./spark-server.js";

const CV = `name: cv-lost
seed: 1
source: {type: synthetic-ratings, users: 600, items: 200, rank: 4, density: 0.05, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: skip}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 4, maxIter: 8, regParam: 0.05, coldStartStrategy: drop}
tune:
  type: cross-validator
  numFolds: 3
  parallelism: 2
  evaluator: {type: regression-evaluator, metricName: rmse}
  paramGrid:
    als.rank: [2, 4, 6]
    als.regParam: [0.05, 0.1]
output: {dir: runs}
`;
const PLAIN = CV.replace(/tune:[\s\S]*?output:/, "output:").replace("cv-lost", "after-restart");

let dir: string;
let server: OwnServer | undefined;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-server-lost-"));
  writeFileSync(path.join(dir, "cv.yaml"), CV);
  writeFileSync(path.join(dir, "plain.yaml"), PLAIN);
});
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI and calls `act` once `marker` shows on stderr; resolves with the exit code, stderr and timings. */
function runAndAct(args: string[], marker: RegExp, act: () => void) {
  const child = spawn(process.execPath, [cliMain, ...args], { cwd: dir, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, RECPIPE_DEBUG: "" } });
  let stderr = "";
  let actedAt = 0;
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (!actedAt && marker.test(stderr)) {
      actedAt = Date.now();
      act();
    }
  });
  return new Promise<{ code: number | null; stderr: string; actedAt: number; endedAt: number }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr, actedAt, endedAt: Date.now() }));
  });
}

const runsIn = () => (existsSync(path.join(dir, "runs")) ? readdirSync(path.join(dir, "runs")) : []);

describe("the server lost in the middle of a run", () => {
  const info = serverInfo("4.0");
  it.runIf(!("missing" in info))(
    "killed during tuning: exit 1 at once, one message naming the server and the phase, no run directory; restarted, it runs the next job",
    async () => {
      const port = await freePort();
      server = await startOwnServer("4.0", port);
      const url = server.url;
      // Killed 3 s into the tuning loop (the progress line of the trials shows every 5 s; the split line comes first).
      let killing: Promise<void> | undefined;
      const r = await runAndAct(["run", "cv.yaml", "--remote", url], /^split: /m, () => {
        setTimeout(() => (killing = server!.kill()), 3_000);
      });
      await killing;
      expect(r.code, r.stderr).toBe(1);
      // Ends at once: no trial after the kill waits on the dead server (a healthy CV of this size takes far longer).
      expect(r.endedAt - r.actedAt, r.stderr).toBeLessThan(3_000 + 15_000);
      const errors = r.stderr.split("\n").filter((l) => l.startsWith("recpipe:"));
      expect(errors, r.stderr).toHaveLength(1);
      expect(errors[0]).toMatch(
        new RegExp(`Spark Connect server ${url.replace(/[./]/g, "\\$&")} was lost during tune while (fitting|scoring|evaluating|caching|counting)`),
      );
      // No trial counted the loss as its own failure (a NaN score), and no hint about cold starts.
      expect(r.stderr).not.toMatch(/NaN|coldStartStrategy|trial .* failed: .*(lost|unreachable|Connection|UNAVAILABLE)/);
      expect(runsIn()).toEqual([]);

      // The same port, a new server: nothing of the lost session is left in recpipe, and the next run works.
      // Restarted with a checkpoint directory: ALS past checkpointInterval then gets no checkpoint warning.
      server = await startOwnServer("4.0", port, { "spark.checkpoint.dir": path.join(dir, "checkpoints") });
      const again = await runCliAsync(["run", "plain.yaml", "--remote", url, "--quiet", "--set", "pipeline.als.maxIter=12"], { cwd: dir });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).not.toMatch(/checkpoint/);
      expect(runsIn()).toHaveLength(1);
      expect(readdirSync(path.join(dir, "runs", runsIn()[0]))).toContain("manifest.json");
    },
    420_000,
  );
});
