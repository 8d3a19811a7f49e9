import { describe, expect, it } from "vitest";
import { Matrix, solve } from "ml-matrix";
import { choleskySolve } from "../../src/kernels/cholesky.js";
import { nnlsSolve } from "../../src/kernels/nnls.js";
import { rng } from "./als-fixtures.js";

/** A random SPD system M^T M + shift*I of size n, as a row-major Float64Array, and a right-hand side. */
function spd(n: number, seed: number, shift = 0.1): { A: Float64Array; b: Float64Array } {
  const rand = rng(seed);
  const M = Matrix.rand(n + 3, n, { random: rand }).sub(0.5);
  const A = M.transpose().mmul(M).add(Matrix.eye(n, n).mul(shift));
  return { A: Float64Array.from(A.to1DArray()), b: Float64Array.from({ length: n }, () => rand() * 2 - 1) };
}

function objective(A: Float64Array, b: Float64Array, x: ArrayLike<number>, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    let ax = 0;
    for (let j = 0; j < n; j++) ax += A[i * n + j] * x[j];
    v += 0.5 * x[i] * ax - b[i] * x[i];
  }
  return v;
}

/** Exact NNLS for small n: the best of the unconstrained solves over every active set (ml-matrix solves). */
function bruteForceNnls(A: Float64Array, b: Float64Array, n: number): number[] {
  let best: number[] = new Array(n).fill(0);
  let bestObj = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    const free = [...Array(n).keys()].filter((i) => mask & (1 << i));
    const sub = new Matrix(free.map((i) => free.map((j) => A[i * n + j])));
    const rhs = Matrix.columnVector(free.map((i) => b[i]));
    const xs = solve(sub, rhs).to1DArray();
    if (xs.some((v) => v < 0)) continue;
    const x = new Array(n).fill(0);
    free.forEach((i, t) => (x[i] = xs[t]));
    const o = objective(A, b, x, n);
    if (o < bestObj) {
      bestObj = o;
      best = x;
    }
  }
  return best;
}

describe("choleskySolve", () => {
  for (const n of [1, 4, 10, 33]) {
    it(`matches ml-matrix on a random SPD ${n}x${n} system`, () => {
      const { A, b } = spd(n, n);
      const expected = solve(
        new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n)))),
        Matrix.columnVector(Array.from(b)),
      ).to1DArray();
      const x = new Float64Array(n);
      expect(choleskySolve(Float64Array.from(A), b, n, x)).toBe(true);
      for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(expected[i], 8);
    });
  }

  it("reports a singular (rank-deficient) matrix", () => {
    const n = 6;
    const rand = rng(1);
    const M = Matrix.rand(3, n, { random: rand }); // rank 3 < 6
    const A = Float64Array.from(M.transpose().mmul(M).to1DArray());
    expect(choleskySolve(A, new Float64Array(n).fill(1), n, new Float64Array(n))).toBe(false);
  });
});

describe("nnlsSolve (Spark's NNLS)", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`finds the exact constrained optimum (brute force over active sets), seed ${seed}`, () => {
      const n = 5;
      const { A, b } = spd(n, 100 + seed);
      const x = new Float64Array(n);
      nnlsSolve(A, b, n, x);
      const exact = bruteForceNnls(A, b, n);
      for (let i = 0; i < n; i++) {
        expect(x[i]).toBeGreaterThanOrEqual(0);
        expect(x[i]).toBeCloseTo(exact[i], 5);
      }
    });
  }

  it("beats clipping the unconstrained solution", () => {
    let strictlyBetter = 0;
    for (let seed = 0; seed < 20; seed++) {
      const n = 8;
      const { A, b } = spd(n, 200 + seed);
      const free = new Float64Array(n);
      choleskySolve(Float64Array.from(A), b, n, free);
      const clipped = free.map((v) => Math.max(0, v));
      const x = new Float64Array(n);
      nnlsSolve(A, b, n, x);
      const o = objective(A, b, x, n);
      const oc = objective(A, b, clipped, n);
      expect(o).toBeLessThanOrEqual(oc + 1e-12);
      if (o < oc - 1e-9) strictlyBetter++;
    }
    expect(strictlyBetter).toBeGreaterThan(0);
  });
});
