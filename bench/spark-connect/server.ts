/**
 * A Spark Connect server for the bench scripts: pyspark's wheel from one of the venvs scripts/setup-spark-venv.sh
 * makes, local[2], a free loopback port; stopped when the script exits.
 *
 * Its scratch space (spark.local.dir: shuffle and spilled blocks) is on /dev/shm when the machine has it. On this
 * machine's ext4 /tmp, creating the many small shuffle files of a CV job took 18-30% of all CPU (the kernel's
 * find_inode_bit / recently_deleted scans, under `perf record -a -g`) after files were deleted in the minutes before,
 * so a client paid for the files its predecessor left behind: recpipe --remote 89-95 s against PySpark 73 s with /tmp,
 * 51-54 s against 63-65 s with /dev/shm, the same server, the same jobs. Both clients run on the same server alike.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";

export interface BenchServer {
  url: string;
  python: string;
  stop(): void;
}

export async function startSparkConnect(line: "4.0" | "4.3" = "4.0"): Promise<BenchServer> {
  const python = resolve(`.venv-spark-${line}/bin/python`);
  if (!existsSync(python)) throw new Error(`${python} not found: run bash scripts/setup-spark-venv.sh ${line}`);
  const port = await new Promise<number>((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
  const sparkHome = spawnSync(python, ["-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"], { encoding: "utf8" }).stdout.trim();
  mkdirSync(".bench-data", { recursive: true });
  const log = resolve(`.bench-data/spark-connect-server-${port}.log`);
  const scratch = scratchDir();
  const server = spawn(
    `${sparkHome}/bin/spark-submit`,
    [
      "--class",
      "org.apache.spark.sql.connect.service.SparkConnectServer",
      "--master",
      "local[2]",
      "--driver-memory",
      "2g",
      "--conf",
      `spark.connect.grpc.binding.port=${port}`,
      "--conf",
      "spark.connect.grpc.binding.address=127.0.0.1",
      "--conf",
      "spark.ui.enabled=false",
      ...(scratch ? ["--conf", `spark.local.dir=${scratch}`] : []),
      "spark-internal",
    ],
    { env: { ...process.env, SPARK_HOME: sparkHome, SPARK_LOCAL_IP: "127.0.0.1" }, stdio: ["ignore", openSync(log, "w"), openSync(log, "a")], detached: true },
  );
  const stop = () => {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // gone
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  process.on("exit", stop);
  for (let i = 0; !readFileSync(log, "utf8").includes("Spark Connect server started"); i++) {
    if (i > 300) throw new Error(`Spark Connect server did not start; see ${log}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { url: `sc://127.0.0.1:${port}`, python, stop };
}

/** A folder for spark.local.dir on a tmpfs when there is one (see the file's comment); else Spark's default (java.io.tmpdir). */
function scratchDir(): string | undefined {
  if (!existsSync("/dev/shm")) return undefined;
  const dir = `/dev/shm/recpipe-bench-spark-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  return dir;
}
