/**
 * Similar items for every item (ALS `similarItems`: cosine of item factors through the top-k kernel on normalised
 * factors), on MovieLens-25M's item count at rank 64. Issue 19's target: under 2 s on 2 workers.
 *   node --import tsx bench/similar-items.ts                       59,047 items, rank 64, k 10, workers 1 and 2, median of 3
 *   node --import tsx bench/similar-items.ts --items 2000 --runs 1 --workers 2     a quick check that it runs
 * Factors are U(-0.5, 0.5) with a per-item scale (so norms vary, as fitted ones do; after normalisation every norm is
 * 1 and the kernel's norm pruning skips nothing: this is the full items x items product). Normalising is timed too.
 */
import { loadavg } from "node:os";
import { quietContext } from "../src/core/run-context.js";
import type { FactorSet } from "../stages/als/recommend.js";
import { similarItemsByCosine } from "../stages/als/similar-items.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const items = Number(arg("items", "59047"));
const rank = Number(arg("rank", "64"));
const k = Number(arg("k", "10"));
const runs = Number(arg("runs", "3"));
const workerCounts = arg("workers", "1,2").split(",").map(Number);

function factors(n: number, r: number, seed: number): FactorSet {
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

const set = factors(items, rank, 19);
console.log(`similar items: ${items.toLocaleString("en-US")} items, rank ${rank}, k ${k}; load ${loadavg()[0].toFixed(1)}`);
console.log("workers  median s  runs (s)");
for (const workers of workerCounts) {
  const times: number[] = [];
  let check = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    // A fresh cache each run: normalising the factors is part of the work.
    const l = await similarItemsByCosine(set, set.ids, k, quietContext({ workers }), {});
    times.push((performance.now() - t0) / 1000);
    check = l.counts.reduce((s, c) => s + c, 0);
  }
  if (check !== items * Math.min(k, items - 1)) throw new Error(`expected ${items * Math.min(k, items - 1)} neighbours; got ${check}`);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${String(workers).padStart(7)}  ${sorted[Math.floor(sorted.length / 2)].toFixed(3).padStart(8)}  ${times.map((t) => t.toFixed(3)).join(" ")}`);
}
