import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Matrix, solve } from "ml-matrix";
import { SOLVER_CG, SOLVER_CHOLESKY } from "../../src/kernels/als-half-step.js";
import { ALS_KERNEL_FILES, relaxedSimdAvailable } from "../../src/kernels/als-kernel-choice.js";
import { readAlsWasmBytes } from "../../src/kernels/als-wasm.js";
import { makeProblem, maxAbs, maxAbsDiff } from "./als-fixtures.js";

/** Whether this CPU has FMA3 (Linux x64); where it does, V8 fuses relaxed_madd and the two builds round differently. */
function cpuHasFma(): boolean {
  try {
    return process.arch === "x64" && /^flags\s*:.*\bfma\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return false;
  }
}

describe("ALS FMA kernel (simd128-fma)", () => {
  it("Node 20 runs relaxed SIMD once the flag is set, and the shipped FMA build validates", () => {
    expect(relaxedSimdAvailable()).toBe(true);
    expect(ALS_KERNEL_FILES["simd128-fma"]).toBe("als-fma.wasm");
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(readAlsWasmBytes("simd128-fma"))).toBe(true);
    expect(Buffer.from(readAlsWasmBytes("simd128-fma")).equals(Buffer.from(readAlsWasmBytes("simd128")))).toBe(false);
  });

  it("explicit Cholesky rows solve the normal equations ml-matrix solves in f64", () => {
    const k = 12;
    const p = makeProblem({ kernel: "simd128-fma", rows: 80, cols: 120, k, perRow: 20, seed: 21, regParam: 0.2 });
    expect(p.kernels.solveRows(p.args)).toBe(-1);
    const { indptr, indices, values, src, out, kp } = p.args;
    let worst = 0;
    let largest = 0;
    for (let r = 0; r < 80; r++) {
      const n = indptr[r + 1] - indptr[r];
      const A = Matrix.zeros(k, k);
      const b = Matrix.zeros(k, 1);
      for (let s = indptr[r]; s < indptr[r + 1]; s++) {
        const y = indices[s] * kp;
        for (let i = 0; i < k; i++) {
          b.set(i, 0, b.get(i, 0) + values[s] * src[y + i]);
          for (let j = 0; j < k; j++) A.set(i, j, A.get(i, j) + src[y + i] * src[y + j]);
        }
      }
      for (let i = 0; i < k; i++) A.set(i, i, A.get(i, i) + 0.2 * n);
      const x = solve(A, b).getColumn(0);
      for (let i = 0; i < k; i++) {
        worst = Math.max(worst, Math.abs(out[r * kp + i] - x[i]));
        largest = Math.max(largest, Math.abs(x[i]));
      }
    }
    expect(largest).toBeGreaterThan(0.01);
    expect(worst).toBeLessThanOrEqual(3e-6 * largest);
  });

  it("implicit cg is within the twin's tolerance of the portable kernel, and fused where the CPU has FMA", () => {
    const make = (kernel: "simd128" | "simd128-fma") =>
      makeProblem({ kernel, rows: 300, cols: 200, k: 64, perRow: 40, seed: 8, implicit: true, solver: SOLVER_CG, ratingsWithZeros: true });
    const fused = make("simd128-fma");
    const plain = make("simd128");
    expect(fused.kernels.solveRows(fused.args)).toBe(-1);
    expect(plain.kernels.solveRows(plain.args)).toBe(-1);
    const a = Float32Array.from(fused.args.out);
    const b = Float32Array.from(plain.args.out);
    expect(maxAbs(b)).toBeGreaterThan(0.01);
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(3e-6 * maxAbs(b));
    // the same machine, the same kernel, the same bytes: run again from the same warm start
    fused.reset();
    expect(fused.kernels.solveRows(fused.args)).toBe(-1);
    expect(Buffer.from(fused.args.out.buffer, fused.args.out.byteOffset, fused.args.out.byteLength).equals(Buffer.from(a.buffer))).toBe(true);
    if (cpuHasFma()) expect(maxAbsDiff(a, b)).toBeGreaterThan(0);
  });

  it("rows with no ratings and padded lanes stay exactly 0 (Cholesky)", () => {
    const p = makeProblem({ kernel: "simd128-fma", rows: 100, cols: 90, k: 10, perRow: 15, seed: 2, solver: SOLVER_CHOLESKY, emptyEvery: 10 });
    expect(p.kernels.solveRows(p.args)).toBe(-1);
    const { out, kp } = p.args;
    for (let r = 0; r < 100; r++) {
      for (let i = 10; i < kp; i++) expect(out[r * kp + i]).toBe(0);
      if (r % 10 === 0) for (let i = 0; i < kp; i++) expect(out[r * kp + i]).toBe(0);
    }
  });
});
