/**
 * One ALS half-step kernel call pattern, timed alone on one thread: `rows` rows of exactly `n` ratings each over
 * `items` random item factors (uniform, rank k), so the cost splits into a per-row part (the solve) and a per-rating
 * part (gather + Gram or CG passes): run n = 1 and n = 100 and compare. CPU time, best of 4 passes after a warm-up.
 *   node --import tsx bench/als-half-step.ts ROWS N ITEMS RANK explicit|implicit|cg
 *   WASM=path/to/other-als.wasm node --import tsx bench/als-half-step.ts ...   (A/B against another build)
 *   KERNEL=simd128-fma node --import tsx bench/als-half-step.ts ...            (the fused multiply-add build)
 * e.g. 20000 1 20000 64 explicit: microseconds per rank-64 Cholesky solve (plus assembling a one-rating system).
 */
import { readFileSync } from "node:fs";
import { gramView, planAlsLayout, scratchView, sideViews } from "../src/kernels/als-layout.js";
import { createAlsMemory, instantiateAlsKernels, readAlsWasmBytes } from "../src/kernels/als-wasm.js";
import { SOLVER_CG, SOLVER_CHOLESKY, type HalfStepArgs } from "../src/kernels/als-half-step.js";
import { relaxedSimdAvailable, type AlsKernelName } from "../src/kernels/als-kernel-choice.js";

const [rows, n, items, k] = process.argv.slice(2, 6).map(Number);
const mode = process.argv[6] ?? "explicit";
if (!(rows > 0 && n > 0 && items > 0 && k > 0) || !["explicit", "implicit", "cg", "cgx"].includes(mode)) {
  throw new Error("usage: als-half-step.ts ROWS N ITEMS RANK explicit|implicit|cg");
}
const nnz = rows * n;
const layout = planAlsLayout(rows, items, nnz, k, "f32", 1, mode.startsWith("cg") ? n : 0);
const memory = createAlsMemory(layout.totalBytes);
const kernel = (process.env.KERNEL ?? "simd128") as AlsKernelName;
// another build (WASM=) may use relaxed SIMD too: V8 is let accept it whenever a file is named
const relaxed = kernel === "simd128-fma" || process.env.WASM ? relaxedSimdAvailable() : false;
if (kernel === "simd128-fma" && !relaxed) throw new Error("this Node cannot run relaxed SIMD");
const kernels = instantiateAlsKernels(process.env.WASM ? new Uint8Array(readFileSync(process.env.WASM)) : readAlsWasmBytes(kernel), memory);
const users = sideViews(memory.buffer, layout, "user");
const fixed = sideViews(memory.buffer, layout, "item");
let seed = 7;
const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
for (let r = 0; r <= rows; r++) users.indptr[r] = r * n;
for (let i = 0; i < nnz; i++) {
  users.indices[i] = Math.floor(rand() * items);
  users.values[i] = 1 + Math.floor(rand() * 5);
}
for (let r = 0; r < rows; r++) users.indices.subarray(r * n, r * n + n).sort();
for (let i = 0; i < items; i++) for (let d = 0; d < k; d++) fixed.factors[i * layout.kp + d] = rand() - 0.5;
const implicit = mode !== "explicit" && mode !== "cgx";
const gram = gramView(memory.buffer, layout);
if (implicit) kernels.gramAccumulate(fixed.factors, 0, items, layout.kp, gram);
const args: HalfStepArgs = {
  indptr: users.indptr,
  indices: users.indices,
  values: users.values,
  src: fixed.factors,
  out: users.factors,
  gram: implicit ? gram : null,
  kp: layout.kp,
  k,
  regParam: 0.1,
  alpha: 1,
  implicit,
  solver: mode === "cg" || mode === "cgx" ? SOLVER_CG : SOLVER_CHOLESKY,
  cgSteps: Number(process.env.CG_STEPS ?? 3),
  rowStart: 0,
  rowEnd: 0,
  scratch: scratchView(memory.buffer, layout, 0),
  cgGatherCapacity: layout.cgGatherCapacity,
};
const ms: number[] = [];
for (let pass = 0; pass < 5; pass++) {
  users.factors.fill(0); // every pass starts CG from the same point
  const c0 = process.cpuUsage();
  // chunks of 1024 rows, as the ALS pool calls it (V8 tiers the wasm up between calls)
  for (let r = 0; r < rows; r += 1024) {
    args.rowStart = r;
    args.rowEnd = Math.min(rows, r + 1024);
    if (kernels.solveRows(args) >= 0) throw new Error(`row system not positive definite near row ${r}`);
  }
  const c = process.cpuUsage(c0);
  ms.push((c.user + c.system) / 1000);
}
const best = Math.min(...ms.slice(1));
console.log(
  `${process.env.WASM ?? kernel} ${mode} rank ${k}, ${rows} rows x ${n} ratings over ${items} items: ${best.toFixed(0)} ms CPU, ${((best * 1000) / rows).toFixed(2)} us a row, ${((best * 1e6) / nnz).toFixed(0)} ns a rating`,
);
