/**
 * How honest is the memory estimate `run` and `validate` make before reading? For each case, prints the estimate
 * (from `recpipe validate`) beside the peak RSS that /usr/bin/time measures around `recpipe run` of the same file.
 *
 *   npx tsx bench/memory-estimate.ts [--cases synthetic-2m,synthetic-20m,implicit-10m-rank64,ml25m-csv]
 *
 * implicit-10m-rank64 reads .bench-data/e2e/implicit-10000000.csv (bench/e2e-compare.ts makes it) and ml25m-csv
 * reads .bench-data/ml25m.csv (bench/e2e-scale.ts makes it); a case whose file is missing is skipped with a note.
 * Needs `npm run build`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";

const DIR = resolve(".bench-data/memory");
mkdirSync(DIR, { recursive: true });
const arg = process.argv.indexOf("--cases");
const wanted = (arg >= 0 ? process.argv[arg + 1] : "synthetic-2m,synthetic-20m,implicit-10m-rank64,ml25m-csv").split(",");

const synthetic = (users: number) => `source: {type: synthetic-ratings, users: ${users}, items: 100000, rank: 10, density: 0.001, noise: 0.3}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, ratingCol: rating, rank: 10, maxIter: 5, regParam: 0.05, coldStartStrategy: drop}
evaluate: [{type: regression-evaluator, metricName: rmse}]`;

const CASES: Record<string, { file?: string; body: string }> = {
  "synthetic-2m": { body: synthetic(20_000) },
  "synthetic-20m": { body: synthetic(200_000) },
  "implicit-10m-rank64": {
    file: ".bench-data/e2e/implicit-10000000.csv",
    body: `source: {path: ${resolve(".bench-data/e2e/implicit-10000000.csv")}}
pipeline:
  - {type: als, userCol: user_id, itemCol: item_id, ratingCol: plays, rank: 64, maxIter: 10, implicitPrefs: true, solver: cg, coldStartStrategy: drop}
evaluate: [{type: ranking-evaluator, metricName: precisionAtK, k: 10}]
recommend: {k: 10, users: all, excludeSeen: true}`,
  },
  "ml25m-csv": {
    file: ".bench-data/ml25m.csv",
    body: `source: {path: ${resolve(".bench-data/ml25m.csv")}}
pipeline:
  - {type: string-indexer, inputCols: [userId, movieId], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, ratingCol: rating, rank: 10, maxIter: 10, regParam: 0.1, coldStartStrategy: drop}
evaluate: [{type: regression-evaluator, metricName: rmse}]`,
  },
};

console.log(`1-min load at start ${loadavg()[0].toFixed(1)}, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`);
console.log("");
console.log("| case | ratings (estimated) | estimate | measured peak RSS | estimate / measured |");
console.log("|---|---|---|---|---|");
for (const name of wanted) {
  const c = CASES[name];
  if (!c) throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(", ")}`);
  if (c.file && !existsSync(c.file)) {
    console.log(`| ${name} | - | - | - | skipped: ${c.file} is missing |`);
    continue;
  }
  const yaml = join(DIR, `${name}.yaml`);
  writeFileSync(yaml, `name: mem-${name}\nseed: 1\n${c.body}\noutput: {dir: ${join(DIR, "runs")}}\n`);
  const v = spawnSync(process.execPath, ["dist/src/cli/main.js", "validate", yaml], { encoding: "utf8" });
  const m = /memory: about ([\d.]+) (GB|MB) for ([\d,]+) ratings/.exec(v.stdout);
  if (v.status !== 0 || !m) throw new Error(`validate ${name}: ${v.stderr || v.stdout}`);
  const estMB = Number(m[1]) * (m[2] === "GB" ? 1000 : 1);
  const r = spawnSync("/usr/bin/time", ["-v", process.execPath, "dist/src/cli/main.js", "run", yaml, "--json", "--quiet"], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`run ${name}: ${r.stderr.slice(-2000)}`);
  const peakMB = (Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)![1]) * 1024) / 1e6;
  rmSync(JSON.parse(r.stdout).runDir, { recursive: true, force: true });
  console.log(`| ${name} | ${m[3]} | ${(estMB / 1000).toFixed(2)} GB | ${(peakMB / 1000).toFixed(2)} GB | ${(estMB / peakMB).toFixed(2)} |`);
}
