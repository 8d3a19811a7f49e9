/**
 * recommendForAllUsers at MovieLens-25M scale: top-10 for 162,541 users x 59,047 items, rank 10, random factors.
 * Median of 3 runs per configuration (wasm at 1 and 2 workers; the TS twin on a 2,000-user slice, extrapolated).
 * Run: node --import tsx bench/recommend-all.ts
 */
import { loadavg } from "node:os";
import { recommendTopK, type FactorSet } from "../stages/als/recommend.js";

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

const USERS = 162_541;
const ITEMS = 59_047;
const RANK = 10;
const users = randomSet(USERS, RANK, 1);
const items = randomSet(ITEMS, RANK, 2);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(label: string, q: FactorSet, engine: "wasm" | "js", workers: number, runs = 3): Promise<number> {
  // CPU time (all threads of this process) is reported too: on a shared, oversubscribed machine wall time
  // measures the neighbours as much as the kernel.
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await recommendTopK(q, items, 10, { workers, engine });
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const m = median(ms);
  const fmt = (xs: number[]): string => xs.map((x) => (x / 1000).toFixed(2)).join(", ");
  console.log(`${label}: median wall ${(m / 1000).toFixed(2)} s (runs ${fmt(ms)}); CPU s ${fmt(cpu)}; load ${loadavg()[0].toFixed(1)}`);
  return m;
}

await time("wasm, 1 worker ", users, "wasm", 1);
await time("wasm, 2 workers", users, "wasm", 2);
const slice: FactorSet = { ids: users.ids.subarray(0, 2000), factors: users.factors.subarray(0, 2000 * RANK), rank: RANK };
const jsMs = await time("js twin, 1 worker, 2,000 users", slice, "js", 1, 1);
console.log(`js twin extrapolated to all users: ${((jsMs * USERS) / 2000 / 1000).toFixed(1)} s`);
