/**
 * The ML-100k CV pipeline on three engines, wall time per run (median of N): recpipe local; recpipe --remote against a
 * Spark Connect server in local[2] mode; the same pipeline written with PySpark's own Connect client
 * (bench/spark-connect/pyspark_cv.py) against the same server. The pipeline is pipelines/movielens-100k-cv.yaml with
 * RMSE as its only evaluator (3 folds x 6 param maps, refit, test RMSE), as the PySpark script does.
 * Starts one Spark 4.0 server (scripts/setup-spark-venv.sh 4.0 makes its venv) and stops it at the end; the runs
 * alternate between the two clients so machine load hits both alike. Prints BENCHMARKS.md table rows.
 *
 *   npm run build && npx tsx bench/spark-connect-cv.ts [--runs 3] [--data ../shared/data/movielens-100k/u.data]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { startSparkConnect } from "./spark-connect/server.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", "3"));
const data = resolve(arg("--data", "../shared/data/movielens-100k/u.data"));
if (!existsSync(data)) throw new Error(`${data} not found: pass --data /path/to/u.data`);
const { url, python, stop } = await startSparkConnect("4.0");
const recpipeArgs = (remote: boolean) => [
  "dist/src/cli/main.js",
  "run",
  "pipelines/movielens-100k-cv.yaml",
  "--json",
  "--quiet",
  "--workers",
  "2",
  "--out",
  ".bench-data/runs",
  "--set",
  `source.path=${data}`,
  "--set",
  "evaluate=[{type: regression-evaluator, metricName: rmse}]",
  ...(remote ? ["--remote", url] : []),
];

function timed(cmd: string, args: string[]): { seconds: number; rmse: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { metrics?: { rmse: number }; rmse?: number };
  return { seconds: (performance.now() - t0) / 1000, rmse: out.metrics?.rmse ?? out.rmse! };
}

const results: Record<string, { seconds: number; rmse: number }[]> = { local: [], remote: [], pyspark: [] };
const loads: number[] = [];
for (let k = 0; k < runs; k++) {
  loads.push(loadavg()[0]);
  results.local.push(timed(process.execPath, recpipeArgs(false)));
  results.remote.push(timed(process.execPath, recpipeArgs(true)));
  results.pyspark.push(timed(python, ["bench/spark-connect/pyspark_cv.py", url, data]));
}
stop();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const label = {
  local: "recpipe, local engine (2 workers)",
  remote: "recpipe --remote (Spark 4.0.5 Connect, local[2])",
  pyspark: "PySpark 4.0.5 Connect client, same server",
};
for (const key of ["local", "remote", "pyspark"] as const) {
  const r = results[key];
  console.log(
    `| ${label[key]} | ${median(r.map((x) => x.seconds)).toFixed(1)} s | RMSE ${median(r.map((x) => x.rmse)).toFixed(4)} | runs ${r.map((x) => x.seconds.toFixed(1)).join(", ")} |`,
  );
}
const overhead = median(results.remote.map((x) => x.seconds)) / median(results.pyspark.map((x) => x.seconds)) - 1;
console.log(
  `| recpipe's client vs PySpark's | ${(overhead * 100).toFixed(1)} % | | 1-min load during the runs: ${loads.map((l) => l.toFixed(1)).join(", ")} |`,
);
