/**
 * End-to-end `recpipe run` at scale (issue: scale and hard inputs): read file, index string ids, split, ALS rank 10
 * for 10 sweeps, evaluate, save. Wall time and peak RSS come from /usr/bin/time -v around the CLI process.
 *
 *   npx tsx bench/e2e-scale.ts kuairec-csv | ml25m-csv | ml25m-parquet [--runs 3]
 *
 * Prints one markdown row: shape, rows, the median seconds of each phase (read, split, fit = string-indexer + ALS,
 * evaluate, baselines, write), median wall and peak RSS, RMSE, the runs' walls and the 1-minute load at the start.
 * Data is generated once into .bench-data/ (git-ignored), deterministically:
 *   kuairec: 12.5M rows, 7,176 users x 10,729 items, float watch ratios, repeated user-item pairs (KuaiRec big matrix shape)
 *   ml25m:   25M rows, 162,541 users x 59,047 items, ratings 0.5-5, skewed users and items (MovieLens-25M shape)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { makeVector, Table } from "apache-arrow";
import { SeededRandom } from "../src/core/rng.js";
import { writeTable } from "../src/io/write-table.js";

const DATA = ".bench-data";
mkdirSync(DATA, { recursive: true });

interface Shape {
  rows: number;
  users: number;
  items: number;
  userSkew: number;
  itemSkew: number;
  header: string;
  ids: "string" | "int";
  rating: (r: SeededRandom) => string;
}
const SHAPES: Record<string, Shape> = {
  kuairec: {
    rows: 12_530_806,
    users: 7176,
    items: 10729,
    userSkew: 1,
    itemSkew: 1.6,
    header: "user_id,video_id,watch_ratio",
    ids: "string",
    rating: (r) => (r.nextDouble() * 3).toFixed(4),
  },
  ml25m: {
    rows: 25_000_095,
    users: 162541,
    items: 59047,
    userSkew: 2,
    itemSkew: 3,
    header: "userId,movieId,rating,timestamp",
    ids: "int",
    rating: (r) => String(Math.min(5, Math.max(0.5, Math.round((3.5 + 1.05 * r.nextGaussian()) * 2) / 2))),
  },
};

/** Index in [0, n) with a power-law skew: u^a concentrates mass on low indices for a > 1. */
function skewed(r: SeededRandom, n: number, a: number): number {
  return Math.min(n - 1, Math.floor(n * Math.pow(r.nextDouble(), a)));
}

async function csvFile(name: string): Promise<string> {
  const s = SHAPES[name];
  const path = join(DATA, `${name}.csv`);
  if (existsSync(path)) return path;
  const r = new SeededRandom(name === "kuairec" ? 7 : 25);
  const out = createWriteStream(path + ".tmp");
  out.write(s.header + "\n");
  let buf = "";
  for (let i = 0; i < s.rows; i++) {
    const u = skewed(r, s.users, s.userSkew),
      it = skewed(r, s.items, s.itemSkew);
    buf += s.ids === "string" ? `u${u},v${it},${s.rating(r)}\n` : `${u + 1},${it + 1},${s.rating(r)},${1_100_000_000 + i}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once("drain", () => res()));
      buf = "";
    }
  }
  out.write(buf);
  await new Promise<void>((res) => out.end(() => res()));
  execFileSync("mv", [path + ".tmp", path]);
  return path;
}

async function parquetFile(name: string): Promise<string> {
  const path = join(DATA, `${name}.parquet`);
  if (existsSync(path)) return path;
  const s = SHAPES[name];
  const r = new SeededRandom(25);
  const user = new Int32Array(s.rows),
    item = new Int32Array(s.rows),
    rating = new Float64Array(s.rows),
    ts = new Int32Array(s.rows);
  for (let i = 0; i < s.rows; i++) {
    user[i] = skewed(r, s.users, s.userSkew) + 1;
    item[i] = skewed(r, s.items, s.itemSkew) + 1;
    rating[i] = Number(s.rating(r));
    ts[i] = 1_100_000_000 + i;
  }
  await writeTable(new Table({ userId: makeVector(user), movieId: makeVector(item), rating: makeVector(rating), timestamp: makeVector(ts) }), path, {
    format: "parquet",
  });
  return path;
}

function pipelineFor(name: string, path: string): string {
  const kuai = name.startsWith("kuairec");
  const [u, i, r] = kuai ? ["user_id", "video_id", "watch_ratio"] : ["userId", "movieId", "rating"];
  const yaml = `name: bench-${name}
seed: 1
source: {path: ${join(process.cwd(), path)}}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [${u}, ${i}], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, ratingCol: ${r}, rank: 10, maxIter: 10, regParam: 0.1, coldStartStrategy: drop}
evaluate:
  - {type: regression-evaluator, metricName: rmse}
output: {dir: ${join(process.cwd(), DATA, "runs")}}
`;
  const p = join(DATA, `${name}.yaml`);
  writeFileSync(p, yaml);
  return p;
}

const which = process.argv[2] ?? "kuairec-csv";
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] || 1) || 1;
const [shape, format] = which.split("-");
if (!SHAPES[shape] || !["csv", "parquet"].includes(format)) throw new Error(`usage: e2e-scale.ts kuairec-csv|ml25m-csv|ml25m-parquet [--runs N]`);
const file = format === "csv" ? await csvFile(shape) : await parquetFile(shape);
const yaml = pipelineFor(which, file);
const load = loadavg()[0];
const results: { wall: number; rssMB: number; timings: Record<string, number>; rmse: number }[] = [];
for (let k = 0; k < runs; k++) {
  const r = spawnSync("/usr/bin/time", ["-v", process.execPath, "dist/src/cli/main.js", "run", yaml, "--json", "--quiet"], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`run failed: ${r.stderr.slice(-2000)}`);
  const wallText = /Elapsed \(wall clock\) time.*: (.*)/.exec(r.stderr)![1];
  const parts = wallText.split(":").map(Number);
  const wall = parts.length === 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
  const rssMB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)![1]) / 1024;
  const j = JSON.parse(r.stdout) as { timingsSeconds: Record<string, number>; metrics: Record<string, number> };
  results.push({ wall, rssMB, timings: j.timingsSeconds, rmse: j.metrics.rmse });
  console.error(`${which} run ${k + 1}: wall ${wall.toFixed(1)} s, peak RSS ${rssMB.toFixed(0)} MB, ${JSON.stringify(j.timingsSeconds)}`);
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = SHAPES[shape].rows;
// One row of the phase profile: medians over the runs of every phase recpipe times, wall and peak RSS of the process.
const phases = ["read", "split", "fit", "evaluate", "baselines", "write"].map((p) => `${med(results.map((x) => x.timings[p] ?? 0)).toFixed(1)} s`);
console.log(
  `| ${which} | ${(rows / 1e6).toFixed(1)}M | ${phases.join(" | ")} | **${med(results.map((x) => x.wall)).toFixed(1)} s** | ${med(results.map((x) => x.rssMB)).toFixed(0)} MB | ${med(results.map((x) => x.rmse)).toFixed(3)} | ${runs} (${results.map((x) => x.wall.toFixed(1)).join(", ")}) | ${load.toFixed(1)} |`,
);
