import { describe, expect, it } from "vitest";
import { trainAls, type AlsRatings, type AlsTrainParams } from "../../../stages/als/train.js";

/** A few thousand Zipf-ish implicit ratings: popular items get many ratings, so rows span several chunk sizes. */
function ratings(n: number, users: number, items: number, seed: number): AlsRatings {
  let s = seed;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 4294967296;
  const r: AlsRatings = { user: new Int32Array(n), item: new Int32Array(n), rating: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    r.user[i] = Math.floor(rand() * users);
    r.item[i] = Math.floor(items * rand() ** 2);
    r.rating[i] = 1 + Math.floor(rand() * 5);
  }
  return r;
}

const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("trainAls with the FMA kernel (simd128-fma)", () => {
  const data = ratings(60_000, 3_000, 1_500, 7);
  const cg: AlsTrainParams = { rank: 24, maxIter: 4, regParam: 0.1, alpha: 1, implicitPrefs: true, nonnegative: false, seed: 3, solver: "cg" };

  it.each([
    ["implicit cg", cg],
    ["explicit cholesky", { ...cg, implicitPrefs: false, solver: "cholesky" as const }],
  ])("%s: factors byte-identical for 1 and 2 workers, and for one memory or one per side", async (_name, p) => {
    const one = await trainAls(data, p, { workers: 1, kernel: "simd128-fma" });
    const two = await trainAls(data, p, { workers: 2, kernel: "simd128-fma" });
    const split = await trainAls(data, p, { workers: 2, kernel: "simd128-fma", maxMemoryBytes: 1 << 20 });
    expect(bytes(two.userFactors).equals(bytes(one.userFactors))).toBe(true);
    expect(bytes(two.itemFactors).equals(bytes(one.itemFactors))).toBe(true);
    expect(bytes(split.userFactors).equals(bytes(one.userFactors))).toBe(true);
    expect(bytes(split.itemFactors).equals(bytes(one.itemFactors))).toBe(true);
  });

  it("fits the same model as the portable kernel up to f32 rounding", async () => {
    const fused = await trainAls(data, cg, { workers: 2, kernel: "simd128-fma", computeLoss: true });
    const plain = await trainAls(data, cg, { workers: 2, kernel: "simd128", computeLoss: true });
    let worst = 0;
    let largest = 0;
    for (let i = 0; i < plain.userFactors.length; i++) {
      worst = Math.max(worst, Math.abs(fused.userFactors[i] - plain.userFactors[i]));
      largest = Math.max(largest, Math.abs(plain.userFactors[i]));
    }
    expect(largest).toBeGreaterThan(0.01);
    expect(worst).toBeLessThan(1e-3 * largest);
    // and it did run fused: every CPU V8 runs on today has FMA (x64 since 2013, arm64), so the last bits differ
    expect(worst).toBeGreaterThan(0);
    for (let s = 0; s < cg.maxIter; s++) expect(Math.abs(fused.lossHistory[s] - plain.lossHistory[s])).toBeLessThan(1e-4 * plain.lossHistory[s]);
  });

  it("the default kernel is the portable one", async () => {
    const dflt = await trainAls(data, { ...cg, maxIter: 2 }, { workers: 1 });
    const plain = await trainAls(data, { ...cg, maxIter: 2 }, { workers: 1, kernel: "simd128" });
    expect(bytes(dflt.userFactors).equals(bytes(plain.userFactors))).toBe(true);
  });
});
