/**
 * ALS sweep benchmark: seconds per sweep on synthetic ratings with the MovieLens-25M shape.
 *   npx tsx bench/als-sweep.ts                 all configurations (each in its own process, for peak RSS)
 *   npx tsx bench/als-sweep.ts --sizes 1M,10M  a subset; also --ranks 10,64 --modes explicit,implicit-cg --workers 1,2
 * Data: 162,541 users x 59,047 items; item popularity Zipf-Mandelbrot(s = 1.0, q = 40: the top item holds 0.34 % of
 * the ratings, about 84k at 25M, like ML-25M's 81k), user activity Zipf(s = 0.6), both over shuffled ids,
 * ratings 1..5. Timing: maxIter = 4; the first sweep (V8 tier-up, page faults) is dropped and the median of
 * the other three is reported. Generation and CSR building are not timed.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { trainAls, type AlsRatings } from "../stages/als/train.js";
import { zipfRatings } from "./zipf-ratings.js";

const USERS = 162_541;
const ITEMS = 59_047;

interface Config {
  size: string;
  nnz: number;
  rank: number;
  mode: "explicit" | "implicit-cg";
  workers: number;
}

function synthetic(nnz: number, seed: number): AlsRatings {
  return zipfRatings({ nnz, users: USERS, items: ITEMS, seed });
}

async function runOne(c: Config): Promise<void> {
  const data = synthetic(c.nnz, 12345);
  const stamps: number[] = [];
  const cpu: number[] = [];
  const maxIter = 4;
  await trainAls(
    data,
    {
      rank: c.rank,
      maxIter,
      regParam: 0.1,
      alpha: 1,
      implicitPrefs: c.mode !== "explicit",
      nonnegative: false,
      seed: 1,
      solver: c.mode === "explicit" ? "cholesky" : "cg",
    },
    {
      workers: c.workers,
      onIteration: () => {
        stamps.push(performance.now());
        const u = process.cpuUsage(); // all threads of the process
        cpu.push((u.user + u.system) / 1e6);
      },
    },
  );
  const sweeps = stamps
    .slice(1)
    .map((t, i) => (t - stamps[i]) / 1000)
    .sort((a, b) => a - b);
  const median = sweeps[Math.floor(sweeps.length / 2)];
  const cpuSweeps = cpu
    .slice(1)
    .map((t, i) => t - cpu[i])
    .sort((a, b) => a - b);
  const cpuMedian = cpuSweeps[Math.floor(cpuSweeps.length / 2)];
  const result = {
    ...c,
    secondsPerSweep: median,
    cpuSecondsPerSweep: cpuMedian,
    sweeps,
    ratingsPerSecondPerCore: c.nnz / median / c.workers,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(result));
}

function arg(name: string, fallback: string): string[] {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? process.argv[i + 1] : fallback).split(",");
}

const SIZES: Record<string, number> = { "1M": 1_000_000, "10M": 10_000_000, "25M": 25_000_000 };

if (process.argv.includes("--one")) {
  await runOne(JSON.parse(process.argv[process.argv.indexOf("--one") + 1]) as Config);
} else {
  const script = fileURLToPath(import.meta.url);
  console.log(`| ratings | rank | mode | workers | s / sweep (median of 3) | CPU s / sweep | M ratings/s per core | M ratings/CPU-s | peak RSS MiB |`);
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  for (const size of arg("sizes", "1M,10M,25M")) {
    for (const rank of arg("ranks", "10,64").map(Number)) {
      for (const mode of arg("modes", "explicit,implicit-cg") as Config["mode"][]) {
        for (const workers of arg("workers", "1,2").map(Number)) {
          const c: Config = { size, nnz: SIZES[size], rank, mode, workers };
          const out = spawnSync(process.execPath, [...process.execArgv, script, "--one", JSON.stringify(c)], { encoding: "utf8", maxBuffer: 1 << 24 });
          const line = out.stdout.trim().split("\n").at(-1) ?? "";
          if (out.status !== 0 || !line.startsWith("{")) {
            console.log(`| ${size} | ${rank} | ${mode} | ${workers} | failed: ${out.stderr.trim().split("\n").at(-1)} | | | | |`);
            continue;
          }
          const r = JSON.parse(line);
          console.log(
            `| ${size} | ${rank} | ${mode} | ${workers} | ${r.secondsPerSweep.toFixed(3)} | ${r.cpuSecondsPerSweep.toFixed(3)} | ${(r.ratingsPerSecondPerCore / 1e6).toFixed(2)} | ${(r.nnz / r.cpuSecondsPerSweep / 1e6).toFixed(2)} | ${r.peakRssMiB.toFixed(0)} |`,
          );
        }
      }
    }
  }
}
