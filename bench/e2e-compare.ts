/**
 * recpipe end to end against the same job written with pandas + scipy + benfred/implicit
 * (bench/compare/pandas_implicit_e2e.py), side by side in one run on the same machine, phase by phase.
 *
 *   npx tsx bench/e2e-compare.ts [--rows 10000000] [--ranks 64,10] [--runs 3] [--sweeps 10]
 *
 * The job: implicit ratings as CSV (`user_id,item_id,plays`, 200k users x 50k items at 10M rows, made once by
 * bench/compare/make_implicit_csv.py into .bench-data/e2e/), 80/20 random split, implicit ALS (alpha 1, regParam 0.1,
 * conjugate gradient) for `sweeps` sweeps, precision@10 on the test rows, top-10 for every user with seen items
 * excluded, written as Parquet; 2 threads on both sides. recpipe also fits and scores its baselines (every run does).
 * Each run starts both processes one after the other (alternating which goes first); wall time and peak RSS come
 * from /usr/bin/time -v around each process. Prints markdown rows: medians over the runs, with the 1-minute load.
 * Needs `npm run build` and `bash scripts/setup-bench-venv.sh` (.venv with implicit and pandas).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const rows = Number(arg("rows", "10000000"));
const ranks = arg("ranks", "64,10").split(",").map(Number);
const runs = Number(arg("runs", "3"));
const sweeps = Number(arg("sweeps", "10"));
const DATA = resolve(".bench-data/e2e");
const PY = resolve(".venv/bin/python");
mkdirSync(DATA, { recursive: true });
if (!existsSync(PY)) throw new Error("no .venv: run `bash scripts/setup-bench-venv.sh` first");
if (!existsSync("dist/src/cli/main.js")) throw new Error("no dist/: run `npm run build` first");

const scale = rows / 10_000_000;
const csv = join(DATA, `implicit-${rows}.csv`);
if (!existsSync(csv)) {
  const made = spawnSync(
    PY,
    [
      "bench/compare/make_implicit_csv.py",
      "--out",
      csv,
      "--rows",
      String(rows),
      "--users",
      String(Math.round(200_000 * scale)),
      "--items",
      String(Math.round(50_000 * Math.sqrt(scale))),
    ],
    { stdio: "inherit" },
  );
  if (made.status !== 0) throw new Error("could not make the CSV");
}

interface Timed {
  wall: number;
  rssMB: number;
  phases: Record<string, number>;
  precision: number;
}

function timeProcess(cmd: string[], env: NodeJS.ProcessEnv = process.env): { stdout: string; wall: number; rssMB: number } {
  const r = spawnSync("/usr/bin/time", ["-v", ...cmd], { encoding: "utf8", maxBuffer: 1 << 26, env });
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed (${r.status}): ${r.stderr.slice(-3000)}`);
  const wallText = /Elapsed \(wall clock\) time.*: (.*)/.exec(r.stderr)![1];
  const parts = wallText.split(":").map(Number);
  const wall = parts.length === 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
  const rssMB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)![1]) / 1024;
  return { stdout: r.stdout, wall, rssMB };
}

function recpipe(rank: number): Timed {
  const yaml = join(DATA, `recpipe-${rows}-rank${rank}.yaml`);
  writeFileSync(
    yaml,
    `name: e2e-compare
seed: 1
source: {path: ${csv}}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: als, userCol: user_id, itemCol: item_id, ratingCol: plays, rank: ${rank}, maxIter: ${sweeps}, regParam: 0.1, alpha: 1.0, implicitPrefs: true, solver: cg, coldStartStrategy: drop}
evaluate:
  - {type: ranking-evaluator, metricName: precisionAtK, k: 10}
recommend: {k: 10, users: all, excludeSeen: true}
output: {dir: ${join(DATA, "runs")}}
`,
  );
  const t = timeProcess([process.execPath, "dist/src/cli/main.js", "run", yaml, "--json", "--quiet", "--workers", "2"]);
  const j = JSON.parse(t.stdout) as { runDir: string; metrics: Record<string, number>; timingsSeconds: Record<string, number> };
  rmSync(j.runDir, { recursive: true, force: true });
  return { wall: t.wall, rssMB: t.rssMB, phases: j.timingsSeconds, precision: j.metrics["precisionAtK@10"] };
}

function script(rank: number): Timed {
  const out = join(DATA, "py-out");
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on some machines for old OpenBLAS builds) slow a current numpy.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const t = timeProcess(
    [PY, "bench/compare/pandas_implicit_e2e.py", "--csv", csv, "--out", out, "--rank", String(rank), "--sweeps", String(sweeps), "--threads", "2"],
    env,
  );
  const j = JSON.parse(t.stdout.trim().split("\n").at(-1)!) as { phases: Record<string, number>; "precisionAtK@10": number };
  rmSync(out, { recursive: true, force: true });
  return { wall: t.wall, rssMB: t.rssMB, phases: j.phases, precision: j["precisionAtK@10"] };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const PHASES = ["read", "split", "fit", "evaluate", "baselines", "recommend", "write"];
const load = loadavg()[0];
const when = new Date().toISOString().slice(0, 16).replace("T", " ");
console.log(
  `${rows.toLocaleString("en-US")} rows, ${sweeps} sweeps, 2 threads; ${runs} runs each, medians; ${when} UTC, 1-min load at start ${load.toFixed(1)}`,
);
console.log("");
console.log(`| rank | tool | ${PHASES.join(" | ")} | wall | peak RSS | precision@10 | wall ratio |`);
console.log(`|---|---|${PHASES.map(() => "---|").join("")}---|---|---|---|`);
for (const rank of ranks) {
  const a: Timed[] = [];
  const b: Timed[] = [];
  for (let r = 0; r < runs; r++) {
    if (r % 2 === 0) {
      a.push(recpipe(rank));
      b.push(script(rank));
    } else {
      b.push(script(rank));
      a.push(recpipe(rank));
    }
    console.error(
      `rank ${rank} run ${r + 1}: recpipe ${a.at(-1)!.wall.toFixed(1)} s ${JSON.stringify(a.at(-1)!.phases)}; script ${b.at(-1)!.wall.toFixed(1)} s ${JSON.stringify(b.at(-1)!.phases)}; load ${loadavg()[0].toFixed(1)}`,
    );
  }
  const cells = (xs: Timed[]) => PHASES.map((p) => (xs.some((x) => p in x.phases) ? med(xs.map((x) => x.phases[p] ?? 0)).toFixed(1) : "-")).join(" | ");
  const wa = med(a.map((x) => x.wall));
  const wb = med(b.map((x) => x.wall));
  console.log(
    `| ${rank} | recpipe run | ${cells(a)} | **${wa.toFixed(1)} s** | ${med(a.map((x) => x.rssMB)).toFixed(0)} MB | ${med(a.map((x) => x.precision)).toFixed(4)} | **${(wa / wb).toFixed(2)}x** |`,
  );
  console.log(
    `| ${rank} | pandas + scipy + implicit | ${cells(b)} | ${wb.toFixed(1)} s | ${med(b.map((x) => x.rssMB)).toFixed(0)} MB | ${med(b.map((x) => x.precision)).toFixed(4)} | 1 |`,
  );
}
