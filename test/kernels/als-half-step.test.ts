import { describe, expect, it } from "vitest";
import { SOLVER_CG, SOLVER_CHOLESKY, SOLVER_NNLS, gramAccumulateJs, solveRowsJs, type SolverCode } from "../../src/kernels/als-half-step.js";
import type { AlsKernelName } from "../../src/kernels/als-kernel-choice.js";
import { makeProblem, maxAbs, maxAbsDiff } from "./als-fixtures.js";

// Both builds: the portable one and the fused multiply-add one (relaxed SIMD; Node 20 runs it once the V8 flag is
// set, so a Node that cannot fails here rather than skipping).
const KERNELS: AlsKernelName[] = ["simd128", "simd128-fma"];

const cases: { name: string; implicit: boolean; solver: SolverCode; tol: number }[] = [
  { name: "explicit cholesky", implicit: false, solver: SOLVER_CHOLESKY, tol: 3e-6 },
  { name: "implicit cholesky", implicit: true, solver: SOLVER_CHOLESKY, tol: 3e-6 },
  { name: "explicit cg", implicit: false, solver: SOLVER_CG, tol: 3e-6 },
  { name: "implicit cg", implicit: true, solver: SOLVER_CG, tol: 3e-6 },
  // NNLS runs in f64 in both; only the f32 Gram differs, so a few active-set flips could move more
  { name: "explicit nnls", implicit: false, solver: SOLVER_NNLS, tol: 1e-5 },
];

describe.each(KERNELS)("ALS half-step: wasm kernel %s vs TypeScript twin", (kernel) => {
  for (const c of cases) {
    for (const k of [3, 10, 16, 33, 64]) {
      it(`${c.name}, rank ${k}: max |dx| <= ${c.tol} of max |x|`, () => {
        const p = makeProblem({
          kernel,
          rows: 400,
          cols: 300,
          k,
          perRow: 30,
          seed: k * 7 + c.solver,
          implicit: c.implicit,
          solver: c.solver,
          emptyEvery: 50,
          ratingsWithZeros: true,
        });
        p.reset();
        expect(p.kernels.solveRows(p.args)).toBe(-1);
        const wasm = Float32Array.from(p.args.out);
        p.reset();
        expect(solveRowsJs(p.args)).toBe(-1);
        const js = Float32Array.from(p.args.out);
        expect(maxAbs(js)).toBeGreaterThan(0.01);
        expect(maxAbsDiff(wasm, js)).toBeLessThanOrEqual(c.tol * maxAbs(js));
        // padded lanes and empty rows are exactly 0
        const { kp } = p.args;
        for (let r = 0; r < 400; r++) {
          for (let i = k; i < kp; i++) expect(wasm[r * kp + i]).toBe(0);
          if (r % 50 === 0) for (let i = 0; i < kp; i++) expect(wasm[r * kp + i]).toBe(0);
        }
      });
    }
  }

  it("cg: rows too long to gather give the same result as gathered rows", () => {
    const a = makeProblem({ kernel, rows: 200, cols: 300, k: 16, perRow: 30, seed: 4, implicit: true, solver: SOLVER_CG });
    const b = makeProblem({ kernel, rows: 200, cols: 300, k: 16, perRow: 30, seed: 4, implicit: true, solver: SOLVER_CG, cgGatherCapacity: 20 });
    expect(a.kernels.solveRows(a.args)).toBe(-1);
    expect(b.kernels.solveRows(b.args)).toBe(-1);
    expect([...b.args.out]).toEqual([...a.args.out]);
  });

  it("gramAccumulate matches the twin", () => {
    const p = makeProblem({ kernel, rows: 10, cols: 2500, k: 20, perRow: 3, seed: 5 });
    const { src, kp } = p.args;
    const wasmGram = new Float32Array(kp * kp);
    const view = p.args.gram ?? null;
    expect(view).toBeNull();
    const g = new Float32Array(p.args.out.buffer, p.args.out.byteOffset, kp * kp); // reuse memory inside the wasm heap
    g.fill(0);
    p.kernels.gramAccumulate(src, 0, 2500, kp, g);
    wasmGram.set(g);
    const jsGram = new Float64Array(kp * kp);
    gramAccumulateJs(src, 0, 2500, kp, jsGram);
    expect(maxAbsDiff(wasmGram, jsGram)).toBeLessThan(1e-5 * maxAbs(jsGram));
    for (let i = 0; i < kp; i++) for (let j = 0; j < kp; j++) expect(jsGram[i * kp + j]).toBeCloseTo(jsGram[j * kp + i], 10);
  });

  it("explicit with regParam 0 and fewer ratings than rank reports the row (both engines)", () => {
    const p = makeProblem({ kernel, rows: 50, cols: 100, k: 10, perRow: 2, seed: 9, regParam: 0 });
    // rows have 1..4 ratings < rank 10: the first non-empty row is singular
    expect(p.kernels.solveRows(p.args)).toBe(0);
    expect(solveRowsJs(p.args)).toBe(0);
    const q = makeProblem({ kernel, rows: 50, cols: 100, k: 10, perRow: 2, seed: 9, regParam: 0.1 });
    expect(q.kernels.solveRows(q.args)).toBe(-1);
  });

  it("the explicit solution satisfies the normal equations (gradient ~ 0)", () => {
    const p = makeProblem({ rows: 60, cols: 80, k: 6, perRow: 12, seed: 3, regParam: 0.3 });
    expect(solveRowsJs(p.args)).toBe(-1);
    const { indptr, indices, values, src, out, kp, k } = p.args;
    for (let r = 0; r < 60; r++) {
      const n = indptr[r + 1] - indptr[r];
      const grad = new Float64Array(k);
      for (let i = 0; i < k; i++) grad[i] = 0.3 * n * out[r * kp + i];
      for (let s = indptr[r]; s < indptr[r + 1]; s++) {
        let pred = 0;
        for (let i = 0; i < k; i++) pred += out[r * kp + i] * src[indices[s] * kp + i];
        for (let i = 0; i < k; i++) grad[i] += (pred - values[s]) * src[indices[s] * kp + i];
      }
      expect(maxAbs(grad)).toBeLessThan(1e-5);
    }
  });
});
