/**
 * A Spark Connect server of the test's own (not the shared one of spark-servers.global.ts), for tests that kill,
 * stop or restart it: the same pyspark wheel and settings, on a port the test picks, in its own process group.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { repoRoot } from "../cli/run-cli.js";
import type { SparkLine } from "./spark-servers.global.js";

export interface OwnServer {
  port: number;
  url: string;
  pid: number;
  log: string;
  /** Sends a signal to the server's whole process group (spark-submit and its JVM). */
  signal(sig: NodeJS.Signals): void;
  /** Kills the server (SIGKILL) and resolves when its JVM is gone and the port is free. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });

/** Starts a local[2] server of `line` on `port` and waits until it accepts requests (about 15-40 s on 2 cores). */
export async function startOwnServer(line: SparkLine, port: number, conf: Record<string, string> = {}): Promise<OwnServer> {
  const python = path.join(repoRoot, `.venv-spark-${line}`, "bin", "python");
  const home = spawnSync(python, ["-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"], { encoding: "utf8" });
  if (home.status !== 0) throw new Error(`${python} cannot import pyspark: ${home.stderr}`);
  const sparkHome = home.stdout.trim();
  const logDir = path.join(repoRoot, ".scratch", "spark-connect");
  mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `own-server-${line}-${port}-${Date.now()}.log`);
  const confArgs = Object.entries({
    "spark.connect.grpc.binding.port": String(port),
    "spark.connect.grpc.binding.address": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
    ...conf,
  }).flatMap(([k, v]) => ["--conf", `${k}=${v}`]);
  const child = spawn(
    path.join(sparkHome, "bin", "spark-submit"),
    [
      "--class",
      "org.apache.spark.sql.connect.service.SparkConnectServer",
      "--master",
      "local[2]",
      "--driver-memory",
      "1g",
      "--driver-java-options",
      `-Dlog4j2.configurationFile=file:${path.join(repoRoot, "test", "spark-connect", "log4j2-server.properties")}`,
      ...confArgs,
      "spark-internal",
    ],
    { env: { ...process.env, SPARK_HOME: sparkHome, SPARK_LOCAL_IP: "127.0.0.1" }, stdio: ["ignore", openSync(log, "w"), openSync(log, "a")], detached: true },
  );
  const pid = child.pid!;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const server: OwnServer = {
    port,
    url: `sc://127.0.0.1:${port}`,
    pid,
    log,
    signal,
    async kill() {
      signal("SIGCONT");
      signal("SIGKILL");
      await exited;
      for (let i = 0; i < 100 && !(await portFree(port)); i++) await new Promise((r) => setTimeout(r, 100));
    },
  };
  const t0 = Date.now();
  for (;;) {
    const text = readFileSync(log, "utf8");
    if (text.includes("Spark Connect server started")) return server;
    if (child.exitCode !== null) throw new Error(`own Spark ${line} server died; log ${log}:\n${text.split("\n").slice(-15).join("\n")}`);
    if (Date.now() - t0 > 240_000) {
      signal("SIGKILL");
      throw new Error(`own Spark ${line} server did not start within 240 s; log ${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
