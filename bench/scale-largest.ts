/**
 * The largest run this machine completes: the synthetic source (100 ratings a user over 100,000 items, rank 10
 * planted), string-indexer on both ids, random split 0.8/0.2, ALS rank 10 for 5 sweeps, RMSE, the baselines and the
 * save, once, the built CLI under /usr/bin/time -v.
 *
 *   npx tsx bench/scale-largest.ts [--users 3000000]     (3M users = 300M ratings; --users 200000 = 20M)
 *
 * Prints one markdown row: ratings, wall, CPU (user + system), peak RSS, bytes a rating beyond the 300 MB runtime,
 * recpipe's phases, and the 1-minute load at the start. A run that fails (refused up front for memory, or killed)
 * prints its last line in the row instead: that is what stops the size. Needs `npm run build`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { freemem, loadavg } from "node:os";
import { join, resolve } from "node:path";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const users = Number(arg("users", "3000000"));
const DIR = resolve(".bench-data/scale-largest");
mkdirSync(DIR, { recursive: true });
const yaml = join(DIR, `synthetic-${users}.yaml`);
writeFileSync(
  yaml,
  `name: scale-largest
seed: 1
source: {type: synthetic-ratings, users: ${users}, items: 100000, rank: 10, density: 0.001, noise: 0.3}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, ratingCol: rating, rank: 10, maxIter: 5, regParam: 0.05, coldStartStrategy: drop}
evaluate: [{type: regression-evaluator, metricName: rmse}]
output: {dir: ${join(DIR, "runs")}}
`,
);
const load = loadavg()[0];
const free = freemem();
const r = spawnSync("/usr/bin/time", ["-v", process.execPath, "dist/src/cli/main.js", "run", yaml, "--json", "--quiet", "--workers", "2"], {
  encoding: "utf8",
  maxBuffer: 1 << 26,
});
const field = (re: RegExp) => re.exec(r.stderr)?.[1];
const wallText = field(/Elapsed \(wall clock\) time.*: (.*)/) ?? "0:0";
const parts = wallText.split(":").map(Number);
const wall = parts.length === 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
const cpu = Number(field(/User time \(seconds\): ([\d.]+)/) ?? 0) + Number(field(/System time \(seconds\): ([\d.]+)/) ?? 0);
const peak = Number(field(/Maximum resident set size \(kbytes\): (\d+)/) ?? 0) * 1024;
const ratings = users * 100;
let phases = "-";
let rows = `~${(ratings / 1e6).toFixed(0)}M`;
let outcome = "completed";
if (r.status === 0) {
  const j = JSON.parse(r.stdout) as { runDir: string; timingsSeconds: Record<string, number> };
  phases = Object.entries(j.timingsSeconds)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ");
  rmSync(j.runDir, { recursive: true, force: true });
} else {
  const lines = r.stderr.split("\n").filter((l) => l.trim() && !/^\s/.test(l) && !l.startsWith("Command"));
  outcome = `failed (exit ${r.status ?? r.signal}): ${(lines.at(-1) ?? "").slice(0, 200)}`;
  rows = `${rows} (planned)`;
}
console.log(
  `| ${rows} | ${wall.toFixed(0)} s | ${cpu.toFixed(0)} s | ${(peak / 1e9).toFixed(2)} GB | ${((peak - 300e6) / ratings).toFixed(0)} B | ${phases} | ${outcome} | ${load.toFixed(1)} (${(free / 1e9).toFixed(1)} GB free) |`,
);
if (r.status !== 0) process.exitCode = 1;
