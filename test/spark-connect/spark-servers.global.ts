/**
 * Vitest global setup: ONE real Spark Connect server per Spark line (4.0.x and the newest 4.x) per test run, each
 * from its pyspark wheel (scripts/setup-spark-venv.sh), in local[2] mode on a free loopback port, stopped at the end.
 * Servers start in the background so other test files run meanwhile; tests wait for theirs (spark-server.ts).
 * They start only when the run includes the Spark Connect tests (no file filter, or a filter naming them).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

export const SPARK_LINES = ["4.0", "4.3"] as const;
export type SparkLine = (typeof SPARK_LINES)[number];
export type ServerInfo = { line: SparkLine; port: number; log: string; pid: number } | { line: SparkLine; missing: string };

declare module "vitest" {
  export interface ProvidedContext {
    sparkConnectServers: ServerInfo[];
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether this vitest run selected the Spark Connect tests (filters are the CLI's positional arguments). */
function wanted(): boolean {
  const args = process.argv.slice(2).filter((a) => !a.startsWith("-") && a !== "run" && !a.endsWith("vitest") && !a.endsWith(".mjs"));
  return args.length === 0 || args.some((a) => a.includes("spark-connect"));
}

async function start(line: SparkLine): Promise<ServerInfo> {
  const python = path.join(repoRoot, `.venv-spark-${line}`, "bin", "python");
  if (!existsSync(python)) return { line, missing: `no ${python}; run \`bash scripts/setup-spark-venv.sh ${line}\`` };
  const home = spawnSync(python, ["-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"], { encoding: "utf8" });
  if (home.status !== 0) return { line, missing: `${python} cannot import pyspark: ${home.stderr.trim().split("\n").pop()}` };
  if (spawnSync("java", ["-version"]).status !== 0) return { line, missing: "no `java` on PATH; Spark needs Java 17" };
  const sparkHome = home.stdout.trim();
  const port = await freePort();
  const logDir = path.join(repoRoot, ".scratch", "spark-connect");
  mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `server-${line}-${port}.log`);
  const out = openSync(log, "w");
  const child = spawn(
    path.join(sparkHome, "bin", "spark-submit"),
    [
      "--class",
      "org.apache.spark.sql.connect.service.SparkConnectServer",
      "--master",
      "local[2]",
      "--driver-memory",
      "2g",
      "--driver-java-options",
      `-Dlog4j2.configurationFile=file:${path.join(repoRoot, "test", "spark-connect", "log4j2-server.properties")}`,
      "--conf",
      `spark.connect.grpc.binding.port=${port}`,
      "--conf",
      "spark.connect.grpc.binding.address=127.0.0.1",
      "--conf",
      "spark.driver.host=127.0.0.1",
      "--conf",
      "spark.ui.enabled=false",
      // Test data is small: Spark's default 200 shuffle partitions would be 200 near-empty tasks per shuffle.
      "--conf",
      "spark.sql.shuffle.partitions=4",
      "spark-internal",
    ],
    { env: { ...process.env, SPARK_HOME: sparkHome, SPARK_LOCAL_IP: "127.0.0.1" }, stdio: ["ignore", out, out], detached: true },
  );
  children.push(child);
  return { line, port, log, pid: child.pid! };
}

export default async function setup(project: TestProject): Promise<() => void> {
  const servers = wanted()
    ? await Promise.all(SPARK_LINES.map(start))
    : SPARK_LINES.map((line) => ({ line, missing: "not started: this run did not select the Spark Connect tests" }));
  project.provide("sparkConnectServers", servers);
  return () => {
    for (const c of children) {
      try {
        process.kill(-c.pid!, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
}
