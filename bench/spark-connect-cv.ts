/**
 * The CV pipeline on three engines, wall time per run (median of N): recpipe local; recpipe --remote against a Spark
 * Connect server in local[2] mode; the same job written with PySpark's own Connect client
 * (bench/spark-connect/pyspark_cv.py) against the same server. Two jobs (bench/spark-connect/cv-job.ts: the pipeline
 * file with RMSE as its only evaluator and no baselines, as the PySpark script):
 *   - ML-100k, the file's own job: 3 folds x 6 param maps (rank 8, 16 x regParam 0.05, 0.1, 0.2), maxIter 10;
 *   - 1M synthetic ratings at MovieLens-1M's shape (6,040 users x 3,706 items, Zipf item popularity: bench/zipf-ratings.ts),
 *     small in work: 2 folds x 2 param maps (rank 10 x regParam 0.05, 0.1), maxIter 5; remote clients only.
 * Both refit the best map and score the test side. Starts one Spark 4.0 server (scripts/setup-spark-venv.sh 4.0 makes
 * its venv) and stops it at the end; one untimed run of each client warms the server's JVM, then the runs alternate
 * between the clients so machine load hits both alike. Prints
 * BENCHMARKS.md table rows.
 *
 *   npm run build && npx tsx bench/spark-connect-cv.ts [--runs 2] [--runs-1m 1] [--data ../shared/data/movielens-100k/u.data]
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { startSparkConnect } from "./spark-connect/server.js";
import { FULL_JOB, pysparkArgs, recpipeArgs, timed, type CvJob, type Timed } from "./spark-connect/cv-job.js";
import { zipfRatings } from "./zipf-ratings.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", "2"));
const runs1m = Number(arg("--runs-1m", "1"));
const data = resolve(arg("--data", "../shared/data/movielens-100k/u.data"));
if (!existsSync(data)) throw new Error(`${data} not found: pass --data /path/to/u.data`);

/** 1M ratings as u.data lays them out (user, item, rating, time; tab-separated, no header), written once. */
function ratings1m(): string {
  mkdirSync(".bench-data", { recursive: true });
  const file = resolve(".bench-data/zipf-1m.tsv");
  if (existsSync(file)) return file;
  const r = zipfRatings({ nnz: 1_000_209, users: 6_040, items: 3_706, seed: 7 });
  const lines: string[] = [];
  for (let i = 0; i < r.user.length; i++) lines.push(`${r.user[i]}\t${r.item[i]}\t${r.rating[i]}\t${978300760 + i}`);
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

const jobs: { name: string; job: CvJob; runs: number; local: boolean }[] = [
  { name: "ML-100k, 3 folds x 6 maps", job: { data, ...FULL_JOB }, runs, local: true },
  {
    name: "1M ratings, 2 folds x 2 maps, rank 10, maxIter 5",
    job: { data: ratings1m(), folds: 2, ranks: [10], regs: [0.05, 0.1], maxIter: 5 },
    runs: runs1m,
    local: false,
  },
];
const { url, python, stop } = await startSparkConnect("4.0");
// One untimed run of each client first: a fresh server's first job runs on a cold JVM (93 s against 51 s warm for the
// same recpipe run), and whichever client went first in the first pair paid for it.
timed(process.execPath, recpipeArgs(jobs[0].job, url));
timed(python, pysparkArgs(jobs[0].job, url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (label: string, r: Timed[]) =>
  `| ${label} | ${median(r.map((x) => x.seconds)).toFixed(1)} s | RMSE ${median(r.map((x) => x.rmse)).toFixed(4)} | runs ${r.map((x) => x.seconds.toFixed(1)).join(", ")} |`;
const lines: string[] = [];
for (const { name, job, runs: n, local } of jobs) {
  const results: Record<"local" | "remote" | "pyspark", Timed[]> = { local: [], remote: [], pyspark: [] };
  const loads: number[] = [];
  for (let k = 0; k < n; k++) {
    loads.push(loadavg()[0]);
    if (local) results.local.push(timed(process.execPath, recpipeArgs(job)));
    // Alternate which client goes first, so neither always meets a server warmed by the other.
    const order = k % 2 === 0 ? (["remote", "pyspark"] as const) : (["pyspark", "remote"] as const);
    for (const c of order) results[c].push(c === "remote" ? timed(process.execPath, recpipeArgs(job, url)) : timed(python, pysparkArgs(job, url)));
  }
  if (local) lines.push(row(`${name}: recpipe, local engine (2 workers)`, results.local));
  lines.push(row(`${name}: recpipe --remote (Spark 4.0.5 Connect, local[2])`, results.remote));
  lines.push(row(`${name}: PySpark 4.0.5 Connect client, same server`, results.pyspark));
  const ratio = median(results.remote.map((x) => x.seconds)) / median(results.pyspark.map((x) => x.seconds));
  lines.push(`| ${name}: recpipe's client / PySpark's | ${ratio.toFixed(2)}x | | 1-min load before each pair: ${loads.map((l) => l.toFixed(1)).join(", ")} |`);
}
stop();
for (const l of lines) console.log(l);
