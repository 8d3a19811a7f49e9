import { describe, expect, it } from "vitest";
import { trainAls, type AlsRatings, type AlsTrainParams } from "../../stages/als/train.js";

/** ~3000 users x 1500 items so each side spans several 1024-row chunks; ids are sparse and unsorted. */
function ratings(seed: number): AlsRatings {
  let s = seed;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 4294967296;
  const n = 40_000;
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const rating = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    user[i] = 7 * Math.floor(rand() * 3000) - 500;
    item[i] = 3 * Math.floor(Math.pow(rand(), 2) * 1500);
    rating[i] = 1 + Math.floor(rand() * 5);
  }
  return { user, item, rating };
}

const base: AlsTrainParams = { rank: 10, maxIter: 2, regParam: 0.1, alpha: 1, implicitPrefs: false, nonnegative: false, seed: 7, solver: "cholesky" };

function bytes(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe("ALS worker pool: results do not depend on the worker count", () => {
  const data = ratings(11);
  const variants: [string, Partial<AlsTrainParams>, "wasm" | "js"][] = [
    ["explicit cholesky, wasm", {}, "wasm"],
    ["implicit cg, wasm", { implicitPrefs: true, solver: "cg" }, "wasm"],
    ["nonnegative, wasm", { nonnegative: true, maxIter: 1 }, "wasm"],
    ["explicit cholesky, js", { maxIter: 1 }, "js"],
  ];
  for (const [name, extra, engine] of variants) {
    it(`${name}: workers 1 and 2 give identical bytes`, async () => {
      const p = { ...base, ...extra };
      const one = await trainAls(data, p, { workers: 1, engine });
      const two = await trainAls(data, p, { workers: 2, engine });
      expect(bytes(two.userFactors).equals(bytes(one.userFactors))).toBe(true);
      expect(bytes(two.itemFactors).equals(bytes(one.itemFactors))).toBe(true);
      expect(one.userIds.length).toBeGreaterThan(2048);
    });
  }
});

describe("ALS worker pool: implicit's YtY and the training objective, split between the workers", () => {
  const data = ratings(23);
  // rank 64: YtY has 16 bands to split, and the objective's work passes LOSS_EXACT_WORK, so every n-th user is sampled
  const variants: [string, Partial<AlsTrainParams>, "wasm" | "js"][] = [
    ["implicit cg rank 64, wasm", { implicitPrefs: true, solver: "cg", rank: 64 }, "wasm"],
    ["implicit cholesky rank 12, js", { implicitPrefs: true, rank: 12, maxIter: 1 }, "js"],
    ["explicit cholesky rank 10, wasm", {}, "wasm"],
  ];
  for (const [name, extra, engine] of variants) {
    it(`${name}: factors and loss history identical for 1, 2 and 3 workers`, async () => {
      const p = { ...base, ...extra };
      const one = await trainAls(data, p, { workers: 1, engine, computeLoss: true });
      expect(one.lossHistory).toHaveLength(p.maxIter);
      expect(one.lossHistory.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
      for (const workers of [2, 3]) {
        const many = await trainAls(data, p, { workers, engine, computeLoss: true });
        expect(bytes(many.userFactors).equals(bytes(one.userFactors))).toBe(true);
        expect(bytes(many.itemFactors).equals(bytes(one.itemFactors))).toBe(true);
        expect(many.lossHistory).toEqual(one.lossHistory);
      }
    });
  }
});
