import { describe, expect, it } from "vitest";
import { accumulateGramBands, gramBandRange, mirrorUpperTriangle } from "../../src/kernels/als-gram.js";
import { gramAccumulateJs, gramBandsJs, type FactorArray, type GramAccumulate, type GramBands } from "../../src/kernels/als-half-step.js";
import { ALS_CHUNK_ROWS } from "../../src/kernels/als-layout.js";
import type { AlsKernelName } from "../../src/kernels/als-kernel-choice.js";
import { makeProblem } from "./als-fixtures.js";

const ROWS = 2 * ALS_CHUNK_ROWS + 500; // three chunks, the last one short

/** The one-thread YtY the fit computed before the split: gramAccumulate over the fixed chunks, in order. */
function oneThreadGram(gramAccumulate: GramAccumulate, Y: FactorArray, kp: number, out: FactorArray): void {
  out.fill(0);
  for (let s = 0; s < ROWS; s += ALS_CHUNK_ROWS) gramAccumulate(Y, s, Math.min(ROWS, s + ALS_CHUNK_ROWS), kp, out);
}

/** The split: every thread's bands (in reverse order, as if the last finished first), then one mirror. */
function splitGram(gramBands: GramBands, Y: FactorArray, kp: number, out: FactorArray, threads: number): void {
  out.fill(0);
  for (let t = threads - 1; t >= 0; t--) accumulateGramBands(gramBands, Y, ROWS, kp, out, gramBandRange(kp, threads, t));
  mirrorUpperTriangle(out, kp);
}

function bytes(a: FactorArray): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

const KERNELS: AlsKernelName[] = ["simd128", "simd128-fma"];
const RANKS = [3, 10, 33, 64];

describe.each(KERNELS)("YtY split by output bands, wasm kernel %s", (kernel) => {
  for (const k of RANKS) {
    it(`rank ${k}: the same bytes as the one-thread chunk loop, for 1, 2, 3 and 5 threads`, () => {
      const p = makeProblem({ kernel, rows: 100, cols: ROWS, k, perRow: 3, seed: k, implicit: true });
      const { src, kp } = p.args;
      const reference = p.args.gram!;
      oneThreadGram(p.kernels.gramAccumulate, src, kp, reference);
      expect(reference.some((v) => v !== 0)).toBe(true);
      // a second kp x kp matrix inside the module's memory: the start of the (unused) output factors
      const split = new Float32Array(p.args.out.buffer, p.args.out.byteOffset, kp * kp);
      for (const threads of [1, 2, 3, 5]) {
        splitGram(p.kernels.gramBands, src, kp, split, threads);
        expect(bytes(split).equals(bytes(reference))).toBe(true);
      }
    });
  }
});

describe("YtY split by output bands, TypeScript twin", () => {
  for (const precision of ["f32", "f64"] as const) {
    it(`${precision}: the same bytes as the one-thread chunk loop, for 1, 2 and 3 threads`, () => {
      const kp = 12;
      const make = (n: number): FactorArray => (precision === "f64" ? new Float64Array(n) : new Float32Array(n));
      const Y = make(ROWS * kp);
      let s = 3;
      for (let i = 0; i < Y.length; i++) Y[i] = i % kp < 10 ? ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 4294967296 - 0.5 : 0;
      const reference = make(kp * kp);
      oneThreadGram(gramAccumulateJs, Y, kp, reference);
      for (const threads of [1, 2, 3]) {
        const split = make(kp * kp);
        splitGram(gramBandsJs, Y, kp, split, threads);
        expect(bytes(split).equals(bytes(reference))).toBe(true);
      }
    });
  }
});

describe("gramBandRange", () => {
  it("tiles [0, kp) with contiguous 4-aligned ranges and balances the upper triangle's work", () => {
    for (const kp of [4, 12, 64, 128]) {
      for (const threads of [1, 2, 3, 5]) {
        let at = 0;
        const work: number[] = [];
        for (let t = 0; t < threads; t++) {
          const [start, end] = gramBandRange(kp, threads, t);
          expect(start).toBe(at);
          expect(start % 4).toBe(0);
          expect(end).toBeGreaterThanOrEqual(start);
          let w = 0;
          for (let ib = start; ib < end; ib += 4) w += kp - (ib & ~7);
          work.push(w);
          at = end;
        }
        expect(at).toBe(kp);
        // no thread has more than its fair share plus one band's work (the first band is the largest)
        const total = work.reduce((a, b) => a + b, 0);
        for (const w of work) expect(w).toBeLessThanOrEqual(total / threads + kp);
      }
    }
    expect(gramBandRange(64, 2, 0)).toEqual([0, 20]); // 288 of the 576 columns' work: an even split
  });
});
