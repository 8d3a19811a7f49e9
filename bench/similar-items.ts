/**
 * Similar items for every item (ALS `similarItems`: cosine of item factors), on MovieLens-25M's item count at rank 64.
 * Issue 19's target: under 2 s on 2 workers. recpipe runs from dist/ (as the CLI does: its worker threads then start
 * in milliseconds, where tsx would first compile their TypeScript), so run `npm run build` first.
 *   node --import tsx bench/similar-items.ts                       both cases, 59,047 items, rank 64, k 10, workers 1 and 2, median of 3
 *   node --import tsx bench/similar-items.ts --items 2000 --runs 1 --workers 2 --factors random     a quick check that it runs
 * Cases (--factors):
 *   random  U(-0.5, 0.5) with a per-item scale (norms vary, as fitted ones do; after normalisation every norm is 1 and
 *           the directions are spread evenly: the worst case for any pruning, so nearly all of the work is the
 *           symmetric int16 product of every pair)
 *   fitted  item factors of implicit ALS (alpha 1, regParam 0.1, cg, 5 sweeps) on Zipf ratings at MovieLens-25M's
 *           shape (bench/zipf-ratings.ts; 10M ratings unless --fitted-ratings); fitting is not timed
 * Normalising the factors is timed; every run checks the neighbour count, and the first run of each case checks its
 * lists and scores against the top-k kernel's items x items product on 500 items (the twin path's brute force).
 */
import { loadavg } from "node:os";
import { quietContext } from "../src/core/run-context.js";
import type { FactorSet } from "../stages/als/recommend.js";
import type { similarItemsByCosine as SimilarItemsByCosine } from "../stages/als/similar-items.js";
import { trainAls } from "../stages/als/train.js";
import { loadBuilt } from "./built-module.js";
import { zipfRatings } from "./zipf-ratings.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const items = Number(arg("items", "59047"));
const rank = Number(arg("rank", "64"));
const k = Number(arg("k", "10"));
const runs = Number(arg("runs", "3"));
const workerCounts = arg("workers", "1,2").split(",").map(Number);
const cases = arg("factors", "random,fitted").split(",");
const fittedRatings = Number(arg("fitted-ratings", "10000000"));

const { similarItemsByCosine } = await loadBuilt<{ similarItemsByCosine: typeof SimilarItemsByCosine }>("stages/als/similar-items.js");

function randomFactors(n: number, r: number, seed: number): FactorSet {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const f = new Float32Array(n * r);
  for (let i = 0; i < n; i++) {
    const scale = 0.1 + 3 * next();
    for (let d = 0; d < r; d++) f[i * r + d] = (next() - 0.5) * scale;
  }
  return { ids: Int32Array.from({ length: n }, (_, i) => i), factors: f, rank: r };
}

async function fittedFactors(n: number, r: number): Promise<FactorSet> {
  const users = Math.round((n * 162_541) / 59_047);
  const ratings = zipfRatings({ nnz: Math.min(fittedRatings, Math.floor((users * n) / 4)), users, items: n, seed: 12345 });
  const f = await trainAls(
    ratings,
    { rank: r, maxIter: 5, regParam: 0.1, alpha: 1, implicitPrefs: true, nonnegative: false, seed: 1, solver: "cg" },
    { workers: 2 },
  );
  return { ids: f.itemIds, factors: f.itemFactors, rank: f.rank };
}

/** The first 500 items' lists against the top-k kernel on the same normalised factors (the path for a few items). */
async function checkAgainstTopK(set: FactorSet, got: Awaited<ReturnType<typeof similarItemsByCosine>>): Promise<void> {
  const few = set.ids.subarray(0, Math.min(500, set.ids.length));
  const want = await similarItemsByCosine(set, few, k, quietContext({ workers: 1 }), {});
  for (let q = 0; q < few.length; q++) {
    for (let j = 0; j < k; j++) {
      if (want.similar[q * k + j] !== got.similar[q * k + j] || !Object.is(want.scores[q * k + j], got.scores[q * k + j])) {
        throw new Error(
          `item ${few[q]}, rank ${j + 1}: every-item kernel gives ${got.similar[q * k + j]} (${got.scores[q * k + j]}), top-k kernel ${want.similar[q * k + j]} (${want.scores[q * k + j]})`,
        );
      }
    }
  }
}

for (const c of cases) {
  if (c !== "random" && c !== "fitted") throw new Error(`--factors: expected random and/or fitted; got ${c}`);
  const set = c === "random" ? randomFactors(items, rank, 19) : await fittedFactors(items, rank);
  console.log(`similar items (${c} factors): ${items.toLocaleString("en-US")} items, rank ${rank}, k ${k}; load ${loadavg()[0].toFixed(1)}`);
  console.log("workers  median s  runs (s)");
  for (const workers of workerCounts) {
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      // A fresh cache each run: normalising the factors is part of the work.
      const l = await similarItemsByCosine(set, set.ids, k, quietContext({ workers }), {});
      times.push((performance.now() - t0) / 1000);
      const check = l.counts.reduce((s, x) => s + x, 0);
      if (check !== items * Math.min(k, items - 1)) throw new Error(`expected ${items * Math.min(k, items - 1)} neighbours; got ${check}`);
      if (r === 0 && workers === workerCounts[0]) await checkAgainstTopK(set, l);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${String(workers).padStart(7)}  ${sorted[Math.floor(sorted.length / 2)].toFixed(3).padStart(8)}  ${times.map((t) => t.toFixed(3)).join(" ")}`);
  }
}
