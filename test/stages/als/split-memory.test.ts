import { describe, expect, it } from "vitest";
import { planAlsLayout, planAlsSpaces } from "../../../src/kernels/als-layout.js";
import { trainAls, type AlsRatings, type AlsTrainParams } from "../../../stages/als/train.js";

/**
 * Past wasm32's 4 GiB the ALS state is split into one memory per side. maxMemoryBytes forces that split on small data:
 * the factors and the loss must be bit-identical to the single-memory run, for 1 and 2 workers.
 */
function ratings(n: number, users: number, items: number, seed: number): AlsRatings {
  let s = seed;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 4294967296;
  const r: AlsRatings = { user: new Int32Array(n), item: new Int32Array(n), rating: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    r.user[i] = 1 + Math.floor(rand() ** 2 * users); // skewed activity, some duplicate pairs
    r.item[i] = 100 + Math.floor(rand() * items);
    r.rating[i] = 1 + Math.floor(rand() * 5);
  }
  return r;
}

const base: AlsTrainParams = { rank: 6, maxIter: 3, regParam: 0.1, alpha: 2, implicitPrefs: false, nonnegative: false, seed: 7, solver: "cholesky" };
const configs: Array<[string, Partial<AlsTrainParams>]> = [
  ["explicit cholesky", {}],
  ["implicit cholesky", { implicitPrefs: true }],
  ["implicit cg", { implicitPrefs: true, solver: "cg" }],
  ["explicit nonnegative", { nonnegative: true }],
];

describe("ALS state split into one memory per side", () => {
  it("is planned only past the limit, and each side's memory is smaller than the single one", () => {
    expect(planAlsSpaces(300, 200, 4000, 6, "f32", 3, 0, 1 << 30).layouts).toHaveLength(1);
    const split = planAlsSpaces(300, 200, 4000, 6, "f32", 3, 0, 1);
    const single = planAlsLayout(300, 200, 4000, 6, "f32", 3, 0);
    expect(split.layouts).toHaveLength(2);
    expect([split.user, split.item]).toEqual([0, 1]);
    for (const l of split.layouts) expect(l.totalBytes).toBeLessThan(single.totalBytes - 4 * 4000);
    expect(split.layouts[0].item.csr).toBe(false);
    expect(split.layouts[1].user.csr).toBe(false);
  });

  for (const [name, params] of configs) {
    it(`${name}: factors and loss bit-identical to one memory, 1 and 2 workers`, async () => {
      const r = ratings(4000, 300, 200, 11);
      const p = { ...base, ...params };
      const single = await trainAls(r, p, { workers: 1, computeLoss: true });
      for (const workers of [1, 2]) {
        const split = await trainAls(r, p, { workers, computeLoss: true, maxMemoryBytes: 1 });
        expect(Array.from(split.userFactors)).toEqual(Array.from(single.userFactors));
        expect(Array.from(split.itemFactors)).toEqual(Array.from(single.itemFactors));
        expect(split.lossHistory).toEqual(single.lossHistory);
      }
      expect(single.userFactors.some((x) => x !== 0)).toBe(true);
    });
  }
});
