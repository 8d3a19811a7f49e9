/**
 * Bad remote inputs through the built CLI: each is exit 2 (or 1, as the README promises) with a message naming what is
 * wrong, and no run directory is left. Only the Spark error mid-fit needs a real server (Spark 4.0.x).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../cli/run-cli.js";
import { serverInfo, waitForServer } from "./spark-server.js";

let dir: string;
let notGrpc: Server;
let notGrpcPort = 0;

function ratingsYaml(name: string, extra = ""): string {
  return `name: ${name}
seed: 1
source: {path: ratings.csv, format: csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: als, rank: 2, maxIter: 2, coldStartStrategy: drop${extra}}
output: {dir: runs}
`;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-bad-remote-"));
  const rows = ["user,item,rating"];
  for (let u = 0; u < 30; u++) for (let i = 0; i < 10; i++) if ((u + i) % 3 !== 0) rows.push(`${u},${i},${1 + ((u * i) % 5)}`);
  writeFileSync(path.join(dir, "ratings.csv"), rows.join("\n") + "\n");
  writeFileSync(path.join(dir, "ok.yaml"), ratingsYaml("ok"));
  writeFileSync(path.join(dir, "cg.yaml"), ratingsYaml("cg", ", solver: cg"));
  // Ids beyond Java's int range: recpipe reads them (int64), Spark's ALS refuses them while fitting.
  const big = ["user,item,rating"];
  for (let u = 0; u < 30; u++) for (let i = 0; i < 10; i++) big.push(`${u === 3 ? 3_000_000_000 : u},${i},${1 + ((u + i) % 5)}`);
  writeFileSync(path.join(dir, "big-ids.csv"), big.join("\n") + "\n");
  writeFileSync(path.join(dir, "big.yaml"), ratingsYaml("big").replace("ratings.csv", "big-ids.csv"));
  // Something that listens but does not speak gRPC: a port that belongs to another service.
  notGrpc = createServer((s) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
  await new Promise<void>((r) => notGrpc.listen(0, "127.0.0.1", () => r()));
  notGrpcPort = (notGrpc.address() as { port: number }).port;
});
afterAll(() => {
  notGrpc?.close();
  rmSync(dir, { recursive: true, force: true });
});

const noRunDir = () => !existsSync(path.join(dir, "runs")) || readdirSync(path.join(dir, "runs")).length === 0;

describe("bad remote inputs", () => {
  it("no server at that address: exit 2 within 10 s, naming the URL", async () => {
    const t0 = Date.now();
    const r = await runCliAsync(["run", path.join(dir, "ok.yaml"), "--remote", "sc://127.0.0.1:1", "--quiet"]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Spark Connect server sc:\/\/127\.0\.0\.1:1 is unreachable/);
    expect(noRunDir()).toBe(true);
  });

  it("a port where something else listens: exit 2 within 10 s, naming the URL", async () => {
    const t0 = Date.now();
    const r = await runCliAsync(["run", path.join(dir, "ok.yaml"), "--remote", `sc://127.0.0.1:${notGrpcPort}`, "--quiet"]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`sc://127.0.0.1:${notGrpcPort}`);
    expect(noRunDir()).toBe(true);
  });

  it("a token over plain text to another host (use_ssl=false): exit 2 before connecting, token never printed", async () => {
    const r = await runCliAsync(["run", path.join(dir, "ok.yaml"), "--remote", "sc://192.0.2.1:15002/;token=hunter2;use_ssl=false", "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to send an authentication token over plain text to 192\.0\.2\.1/);
    expect(r.stderr + r.stdout).not.toContain("hunter2");
    expect(noRunDir()).toBe(true);
    // Without use_ssl a token means TLS, as in PySpark: this address answers nothing, so it is unreachable (exit 2).
    const tls = await runCliAsync(["run", path.join(dir, "ok.yaml"), "--remote", "sc://192.0.2.1:15002/;token=hunter2", "--quiet"]);
    expect(tls.code).toBe(2);
    expect(tls.stderr).toMatch(/^recpipe: Spark Connect server sc:\/\/192\.0\.2\.1:15002\/;token=\*\*\* is unreachable/m);
    expect(tls.stderr + tls.stdout).not.toContain("hunter2");
    expect(tls.stderr).not.toMatch(/DeprecationWarning/);
  });

  it("a stage setting Spark cannot run (ALS solver: cg): run and validate exit 2 naming stage and key, before connecting", async () => {
    for (const cmd of ["run", "validate"]) {
      const r = await runCliAsync([cmd, path.join(dir, "cg.yaml"), "--remote", "sc://127.0.0.1:1"]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/cannot run on Spark Connect:\n\s+pipeline\[0\] \(als\)\.solver: solver: cg is recpipe's conjugate-gradient solver/);
      expect(r.stderr).not.toMatch(/unreachable/);
    }
    expect(noRunDir()).toBe(true);
  });

  it("SPARK_REMOTE is read when --remote is absent", async () => {
    const r = await runCliAsync(["validate", path.join(dir, "ok.yaml")], { env: { SPARK_REMOTE: "sc://127.0.0.1:1" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sc:\/\/127\.0\.0\.1:1 is unreachable/);
  });

  const info = serverInfo("4.0");
  it.runIf(!("missing" in info))(
    "a Spark error mid-fit: one line with Spark's error, exit 2, no run directory",
    async () => {
      const server = await waitForServer(info);
      const v = await runCliAsync(["validate", path.join(dir, "ok.yaml"), "--remote", server.url]);
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/remote: Spark 4\.0\.\d+ at sc:\/\/127\.0\.0\.1:\d+; every stage runs on Spark Connect/);
      const r = await runCliAsync(["run", path.join(dir, "big.yaml"), "--remote", server.url, "--quiet"]);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      // Spark 4 (ANSI mode) refuses the id when ALS casts it to int: a data error, so exit 2.
      expect(lines[0]).toMatch(
        /^recpipe: Spark error while fitting als \(ALS\) \[CAST_OVERFLOW, SparkArithmeticException\]: The value 3\.0E9D of the type "DOUBLE" cannot be cast to "INT" due to an overflow/,
      );
      expect(noRunDir()).toBe(true);
    },
    300_000,
  );
});
