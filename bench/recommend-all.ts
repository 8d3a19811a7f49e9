/**
 * recommendForAllUsers: top-10 for every user, on random factors (the worst case for norm pruning: every norm about
 * equal) and on factors from a real implicit ALS fit (norms vary with popularity, as they do in practice).
 *   node --import tsx bench/recommend-all.ts                    all cases, median of 3 runs each
 *   node --import tsx bench/recommend-all.ts --cases rank10-random --runs 5 --workers 1,2
 * Cases:
 *   rank10-random  162,541 users x 59,047 items (MovieLens-25M's shape), rank 10, factors U(-0.5, 0.5)
 *   rank64-random  200,000 users x 50,000 items, rank 64, factors U(-0.5, 0.5)
 *   rank10-fitted  162,541 x 59,047: implicit ALS (alpha 1, regParam 0.1, cg, 5 sweeps) on 10M Zipf ratings
 *                  (bench/zipf-ratings.ts), top-10 excluding each user's training items (excludeSeen, the default)
 *   rank64-fitted  the same at 200,000 x 50,000, rank 64
 * "scored" is the share of (user, item) pairs the kernel computed instead of pruning, counted by the TypeScript twin
 * on the first 1,000 users (the wasm kernel prunes per group of 4 users, so it scores slightly more).
 * Fitting and generating data are not timed. Prints one table row per (case, workers).
 */
import { loadavg } from "node:os";
import { planTopKLayout, prepareQueries, prepareTargets, topKDot, topKViews } from "../src/kernels/top-k-dot.js";
import { recommendTopK, type FactorSet } from "../stages/als/recommend.js";
import { trainAls } from "../stages/als/train.js";
import { zipfRatings } from "./zipf-ratings.js";

interface Case {
  users: number;
  items: number;
  rank: number;
  factors: "random" | "fitted";
}

const CASES: Record<string, Case> = {
  "rank10-random": { users: 162_541, items: 59_047, rank: 10, factors: "random" },
  "rank64-random": { users: 200_000, items: 50_000, rank: 64, factors: "random" },
  "rank10-fitted": { users: 162_541, items: 59_047, rank: 10, factors: "fitted" },
  "rank64-fitted": { users: 200_000, items: 50_000, rank: 64, factors: "fitted" },
};
const FITTED_RATINGS = 10_000_000;
const NUM = 10;

function randomSet(n: number, rank: number, seed: number): FactorSet {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return { ids: Int32Array.from({ length: n }, (_, i) => i), factors: Float32Array.from({ length: n * rank }, next), rank };
}

interface Problem {
  users: FactorSet;
  items: FactorSet;
  exclude?: { queryIds: Int32Array; targetIds: Int32Array };
}

async function problem(c: Case): Promise<Problem> {
  if (c.factors === "random") return { users: randomSet(c.users, c.rank, 1), items: randomSet(c.items, c.rank, 2) };
  const ratings = zipfRatings({ nnz: FITTED_RATINGS, users: c.users, items: c.items, seed: 12345 });
  const f = await trainAls(
    ratings,
    { rank: c.rank, maxIter: 5, regParam: 0.1, alpha: 1, implicitPrefs: true, nonnegative: false, seed: 1, solver: "cg" },
    { workers: 2 },
  );
  return {
    users: { ids: f.userIds, factors: f.userFactors, rank: c.rank },
    items: { ids: f.itemIds, factors: f.itemFactors, rank: c.rank },
    exclude: { queryIds: ratings.user, targetIds: ratings.item },
  };
}

/** Share of pairs the TypeScript twin scores for the first `n` users (no exclusion: it only lowers the share). */
function scoredShare(p: Problem, n: number): number {
  const rank = p.users.rank;
  const nQueries = Math.min(n, p.users.ids.length);
  const nTargets = p.items.ids.length;
  const layout = planTopKLayout({ nQueries, nTargets, rank, num: NUM, exclusionNnz: -1, workers: 1 });
  const views = topKViews(new ArrayBuffer(layout.totalBytes), layout);
  prepareQueries(p.users.factors.subarray(0, nQueries * rank), views, layout);
  prepareTargets(p.items.factors, views, layout);
  const stats = { scored: 0 };
  topKDot(views, layout, 0, nQueries, stats);
  return stats.scored / (nQueries * nTargets);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const runs = Number(arg("runs", "3"));
const workerCounts = arg("workers", "2").split(",").map(Number);
console.log(`| case | users x items | rank | workers | median wall s | runs (s) | CPU s per run | scored | 1-min load at start |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
for (const name of arg("cases", Object.keys(CASES).join(",")).split(",")) {
  const c = CASES[name];
  if (!c) throw new Error(`unknown case ${name}; expected one of ${Object.keys(CASES).join(", ")}`);
  const p = await problem(c);
  const share = scoredShare(p, 1000);
  for (const workers of workerCounts) {
    const load = loadavg()[0];
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      // CPU time of all threads too: on a shared machine wall time measures the neighbours as much as the kernel.
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await recommendTopK(p.users, p.items, NUM, { workers, exclude: p.exclude });
      wall.push((performance.now() - t0) / 1000);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1e6);
    }
    const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(", ");
    console.log(
      `| ${name} | ${c.users.toLocaleString("en")} x ${c.items.toLocaleString("en")} | ${c.rank} | ${workers} | **${median(wall).toFixed(2)}** | ${fmt(wall)} | ${fmt(cpu)} | ${(share * 100).toFixed(1)} % | ${load.toFixed(1)} |`,
    );
  }
}
