/**
 * ALS implicit sweeps, recpipe against benfred/implicit, side by side in one run on the same ratings, same rank,
 * same threads: seconds per sweep and the ratio recpipe / implicit.
 *   bash scripts/setup-bench-venv.sh          (once: implicit in .venv)
 *   node --import tsx bench/als-vs-implicit.ts [--sizes 3M,10M,25M] [--rank 64] [--threads 2] [--solvers cg,cg-fma,cholesky]
 * Data: Zipf ratings (bench/zipf-ratings.ts) at 3M over 60k users x 20k items, 10M over 200k x 50k, 25M over
 * 162,541 x 59,047 (MovieLens-25M's shape). Both tools: alpha 1 (confidence 1 + |r|), regParam 0.1, 4 sweeps; the
 * first sweep (warm-up: recpipe's wasm tier-up, page faults) is dropped and the median of the other three reported.
 * recpipe runs solver cg (3 steps, as implicit) with the portable kernel and with the fused multiply-add one (cg-fma:
 * `--kernel fma`, relaxed SIMD), and its default solver cholesky. The objectives differ slightly
 * (recpipe scales lambda by each row's rating count as Spark does; implicit does not), the work per sweep does not.
 * Each tool runs in its own process, one after the other (never concurrently). Besides wall seconds, each row gives
 * CPU seconds per sweep (all threads of the process): on a loaded machine wall time measures the neighbours too,
 * CPU time much less so.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { trainAls } from "../stages/als/train.js";
import { arg, benchPython, benchRoot, lastJsonLine, writeDenseRatings, zipfSize } from "./implicit-side-by-side.js";
import { zipfRatings } from "./zipf-ratings.js";
import type { AlsKernelName } from "../src/kernels/als-kernel-choice.js";

/** A recpipe column: the solver, and "-fma" for the fused multiply-add kernel (the portable one otherwise). */
type Variant = "cg" | "cg-fma" | "cholesky" | "cholesky-fma";
const VARIANTS: Variant[] = ["cg", "cg-fma", "cholesky", "cholesky-fma"];
function variant(v: Variant): { solver: "cg" | "cholesky"; kernel: AlsKernelName } {
  return { solver: v.startsWith("cg") ? "cg" : "cholesky", kernel: v.endsWith("-fma") ? "simd128-fma" : "simd128" };
}

const SWEEPS = 4;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Sweeps {
  /** Wall seconds of each sweep. */
  sweeps: number[];
  /** CPU seconds of each sweep, all threads of the process. */
  cpu: number[];
}

/** Median over the sweeps after the first (tier-up, page faults): wall and CPU seconds. */
function steady(s: Sweeps): { wall: number; cpu: number } {
  return { wall: median(s.sweeps.slice(1)), cpu: median(s.cpu.slice(1)) };
}

/** recpipe in a child process (fresh heap and tier-up, like implicit's), seconds per sweep. */
function recpipeSweeps(size: string, rank: number, threads: number, v: Variant): Sweeps {
  const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", JSON.stringify({ size, rank, threads, v })], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  return lastJsonLine<Sweeps>(out, `recpipe ${size} ${v}`);
}

async function child(c: { size: string; rank: number; threads: number; v: Variant }): Promise<void> {
  const s = zipfSize(c.size);
  const { solver, kernel } = variant(c.v);
  const r = zipfRatings({ nnz: s.nnz, users: s.users, items: s.items, seed: 12345 });
  const stamps: number[] = [];
  const cpuStamps: number[] = [];
  const cpuNow = (): number => {
    const u = process.cpuUsage(); // all threads of the process
    return (u.user + u.system) / 1e6;
  };
  const t0 = performance.now();
  const c0 = cpuNow();
  await trainAls(
    r,
    { rank: c.rank, maxIter: SWEEPS, regParam: 0.1, alpha: 1, implicitPrefs: true, nonnegative: false, seed: 1, solver },
    {
      workers: c.threads,
      kernel,
      onIteration: () => {
        stamps.push(performance.now());
        cpuStamps.push(cpuNow());
      },
    },
  );
  // the first stamp includes the CSR fill before sweep 1: only sweeps 2.. are compared
  const sweeps = stamps.map((t, i) => (t - (i === 0 ? t0 : stamps[i - 1])) / 1000);
  const cpu = cpuStamps.map((t, i) => t - (i === 0 ? c0 : cpuStamps[i - 1]));
  console.log(JSON.stringify({ sweeps, cpu }));
}

function implicitSweeps(size: string, rank: number, threads: number, dir: string): Sweeps {
  const d = writeDenseRatings(size, dir);
  const out = spawnSync(
    benchPython,
    [
      join(benchRoot, "bench/compare/implicit_sweeps.py"),
      d.file,
      String(d.nnz),
      String(d.users),
      String(d.items),
      String(rank),
      String(threads),
      String(SWEEPS),
    ],
    { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1" } },
  );
  return lastJsonLine<Sweeps>(out, `implicit ${size}`);
}

if (process.argv.includes("--child")) {
  await child(JSON.parse(process.argv[process.argv.indexOf("--child") + 1]));
} else {
  const rank = Number(arg("rank", "64"));
  const threads = Number(arg("threads", "2"));
  const solvers = arg("solvers", "cg,cg-fma,cholesky").split(",") as Variant[];
  for (const v of solvers) if (!VARIANTS.includes(v)) throw new Error(`--solvers: expected some of ${VARIANTS.join(",")}; got ${v}`);
  const dir = mkdtempSync(join(tmpdir(), "recpipe-vs-implicit-"));
  const head = solvers.map((s) => `recpipe ${s} s/sweep (CPU s) | ${s} / implicit`).join(" | ");
  console.log(`| ratings (users x items) | rank | threads | implicit s/sweep (CPU s) | ${head} | 1-min load |`);
  console.log(`|---|---|---|---|${solvers.map(() => "---|---|").join("")}---|`);
  const fmt = (t: { wall: number; cpu: number }): string => `${t.wall.toFixed(3)} (${t.cpu.toFixed(2)})`;
  try {
    for (const size of arg("sizes", "3M,10M,25M").split(",")) {
      const s = zipfSize(size);
      const load = loadavg()[0];
      const imp = steady(implicitSweeps(size, rank, threads, dir));
      const cells = solvers.map((v) => {
        const t = steady(recpipeSweeps(size, rank, threads, v));
        const bold = v.startsWith("cg") ? "**" : "";
        return `${fmt(t)} | ${bold}${(t.wall / imp.wall).toFixed(2)}x${bold} (CPU ${(t.cpu / imp.cpu).toFixed(2)}x)`;
      });
      console.log(
        `| ${size} (${s.users.toLocaleString("en")} x ${s.items.toLocaleString("en")}) | ${rank} | ${threads} | ${fmt(imp)} | ${cells.join(" | ")} | ${load.toFixed(1)} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
