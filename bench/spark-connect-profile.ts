/**
 * Where a Spark Connect CV run's requests go, recpipe's client beside PySpark's on one server: each client runs the
 * same CV job once with its RPC profile on (RECPIPE_CONNECT_PROFILE; bench/spark-connect/rpc_profile.py for PySpark),
 * and the two tallies are printed side by side per RPC and plan/command kind (count, bytes each way, summed wall), with
 * the span, the most ExecutePlan requests in flight at once and the wall with two in flight; then recpipe's requests
 * by step. The job is small (ML-100k, 2 folds x 2 param maps by default) so the section stays short; a shorter
 * untimed job warms the server first.
 *
 *   npm run build && npx tsx bench/spark-connect-profile.ts [--data u.data] [--folds 2] [--ranks 8,16] [--regs 0.1] [--max-iter 10]
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startSparkConnect } from "./spark-connect/server.js";
import { pysparkArgs, recpipeArgs, timed, type CvJob } from "./spark-connect/cv-job.js";
import type { RpcProfileFile, RpcTally } from "../src/engines/spark-connect/transport/rpc-profile.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const list = (s: string) => s.split(",").map(Number);
const job: CvJob = {
  data: resolve(arg("--data", "../shared/data/movielens-100k/u.data")),
  folds: Number(arg("--folds", "2")),
  ranks: list(arg("--ranks", "8,16")),
  regs: list(arg("--regs", "0.1")),
  maxIter: Number(arg("--max-iter", "10")),
};
if (!existsSync(job.data)) throw new Error(`${job.data} not found: pass --data /path/to/u.data`);
mkdirSync(".bench-data", { recursive: true });
const { url, python, stop } = await startSparkConnect("4.0");
const files = { recpipe: resolve(".bench-data/connect-profile-recpipe.json"), pyspark: resolve(".bench-data/connect-profile-pyspark.json") };
// A fresh server's first jobs run slower (the JVM compiles Spark's code as it goes): a short untimed job first, so
// that neither client pays the warm-up in its profile.
timed(python, pysparkArgs({ ...job, folds: 2, ranks: [8], regs: [0.1], maxIter: 2 }, url));
const walls = {
  recpipe: timed(process.execPath, recpipeArgs(job, url), files.recpipe),
  pyspark: timed(python, pysparkArgs(job, url), files.pyspark),
};
stop();
const profiles = { recpipe: read(files.recpipe), pyspark: read(files.pyspark) };

function read(file: string): RpcProfileFile {
  return JSON.parse(readFileSync(file, "utf8")) as RpcProfileFile;
}
const kb = (n: number) => (n / 1024).toFixed(n < 10 * 1024 ? 1 : 0);
const s = (ms: number) => (ms / 1000).toFixed(1);

console.log(
  `Job: ${job.data.split("/").pop()}, ${job.folds} folds x ${job.ranks.length * job.regs.length} param maps (rank ${job.ranks.join(", ")} x regParam ${job.regs.join(", ")}), maxIter ${job.maxIter}, parallelism 2, refit, test RMSE.\n`,
);
console.log("| client | process wall | RPC span | most ExecutePlan in flight | wall with 2+ in flight | test RMSE |");
console.log("|---|---|---|---|---|---|");
for (const c of ["recpipe", "pyspark"] as const) {
  const p = profiles[c];
  console.log(`| ${c} | ${walls[c].seconds.toFixed(1)} s | ${s(p.spanMs)} s | ${p.maxExecuteInFlight} | ${s(p.overlapMs)} s | ${walls[c].rmse.toFixed(4)} |`);
}
console.log(`\nrecpipe's requests in flight when it first had ${profiles.recpipe.maxExecuteInFlight}: ${profiles.recpipe.maxExecuteInFlightSteps.join("; ")}.`);
console.log("\nPer RPC and kind: count, KiB sent / received, summed wall (s); recpipe | PySpark.\n");
console.log("| RPC | kind | recpipe n | sent | recv | wall | PySpark n | sent | recv | wall |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
const key = (t: RpcTally) => `${t.rpc} ${t.kind}`;
const keys = [...new Set([...profiles.recpipe.rpcs, ...profiles.pyspark.rpcs].map(key))].sort();
const cells = (t?: RpcTally) => (t ? `${t.count} | ${kb(t.requestBytes)} | ${kb(t.responseBytes)} | ${s(t.wallMs)}` : "- | | |");
for (const k of keys) {
  const [r, p] = [profiles.recpipe, profiles.pyspark].map((x) => x.rpcs.find((t) => key(t) === k));
  const t = (r ?? p)!;
  console.log(`| ${t.rpc} | ${t.kind} | ${cells(r)} | ${cells(p)} |`);
}
console.log("\nrecpipe's requests by step (the step its messages name; numbers folded into #).\n");
console.log("| RPC | step | n | KiB sent | KiB recv | wall (s) |");
console.log("|---|---|---|---|---|---|");
for (const t of profiles.recpipe.steps) console.log(`| ${t.rpc} | ${t.kind} | ${t.count} | ${kb(t.requestBytes)} | ${kb(t.responseBytes)} | ${s(t.wallMs)} |`);
