import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/errors.js";
import { sharedDataDir, sharedDataPresent } from "../../shared-data.js";
import { trainAls, type AlsRatings, type AlsTrainParams } from "../../../stages/als/train.js";
import { sparkAlsInitialFactors, sparkAlsInitSeeds } from "../../../src/kernels/spark-random.js";

const base: AlsTrainParams = { rank: 4, maxIter: 5, regParam: 0.1, alpha: 1, implicitPrefs: false, nonnegative: false, seed: 42, solver: "cholesky" };

function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 4294967296;
}

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function predict(f: Awaited<ReturnType<typeof trainAls>>, u: number, i: number): number {
  const ui = f.userIds.indexOf(u);
  const ii = f.itemIds.indexOf(i);
  if (ui < 0 || ii < 0) return NaN;
  let s = 0;
  for (let d = 0; d < f.rank; d++) s += f.userFactors[ui * f.rank + d] * f.itemFactors[ii * f.rank + d];
  return s;
}

function subset(r: AlsRatings, keep: (i: number) => boolean): AlsRatings {
  const idx = [...r.user.keys()].filter(keep);
  return { user: Int32Array.from(idx, (i) => r.user[i]), item: Int32Array.from(idx, (i) => r.item[i]), rating: Float32Array.from(idx, (i) => r.rating[i]) };
}

describe("trainAls: contract", () => {
  const tiny: AlsRatings = { user: Int32Array.of(5, 5, 2, 9, 2, 9), item: Int32Array.of(10, 30, 10, 20, 20, 30), rating: Float32Array.of(4, 1, 5, 2, 3, 5) };

  it("maps ids ascending and returns unpadded factors", async () => {
    const f = await trainAls(tiny, { ...base, rank: 3 }, { workers: 1 });
    expect([...f.userIds]).toEqual([2, 5, 9]);
    expect([...f.itemIds]).toEqual([10, 20, 30]);
    expect(f.userFactors.length).toBe(9);
    expect(f.itemFactors.length).toBe(9);
    expect(f.lossHistory).toEqual([]);
  });

  it("maxIter 0 returns Spark's unit-length initial factors (ALS.initialize with 10 blocks)", async () => {
    const f = await trainAls(tiny, { ...base, maxIter: 0 }, { workers: 2 });
    const seeds = sparkAlsInitSeeds(42);
    expect([...f.userFactors]).toEqual([...sparkAlsInitialFactors(f.userIds, 4, seeds.user, 10)]);
    expect([...f.itemFactors]).toEqual([...sparkAlsInitialFactors(f.itemIds, 4, seeds.item, 10)]);
    for (let u = 0; u < 3; u++) {
      const norm = Math.hypot(...f.userFactors.subarray(u * 4, u * 4 + 4));
      expect(norm).toBeCloseTo(1, 6);
    }
    // another seed, another start
    const g = await trainAls(tiny, { ...base, maxIter: 0, seed: 43 }, { workers: 1 });
    expect([...g.userFactors]).not.toEqual([...f.userFactors]);
  });

  it("empty input is an E_DATA InputError", async () => {
    const empty = { user: new Int32Array(0), item: new Int32Array(0), rating: new Float32Array(0) };
    await expect(trainAls(empty, base, { workers: 1 })).rejects.toMatchObject({ code: "E_DATA", message: expect.stringMatching(/No ratings available/) });
  });

  it("a singular system (regParam 0, fewer ratings than rank) is E_NUMERIC naming side and id", async () => {
    for (const engine of ["wasm", "js"] as const) {
      const err = await trainAls(tiny, { ...base, rank: 4, regParam: 0 }, { workers: 1, engine }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe("E_NUMERIC");
      // items are solved first; item 10 has 2 ratings < rank 4
      expect((err as InputError).message).toMatch(/item 10 .*regParam/);
    }
  });

  it("f64 precision stays close to the f32 wasm engine", async () => {
    const a = await trainAls(tiny, base, { workers: 1, precision: "f64" });
    const b = await trainAls(tiny, base, { workers: 1 });
    for (let i = 0; i < a.userFactors.length; i++) expect(Math.abs(a.userFactors[i] - b.userFactors[i])).toBeLessThan(1e-4);
  });

  it("the loss history decreases and each user row is at its optimum after the sweep (f64)", async () => {
    const rand = lcg(3);
    const n = 3000;
    const r: AlsRatings = {
      user: Int32Array.from({ length: n }, () => Math.floor(rand() * 100)),
      item: Int32Array.from({ length: n }, () => Math.floor(rand() * 80)),
      rating: Float32Array.from({ length: n }, () => 1 + Math.floor(rand() * 5)),
    };
    const p = { ...base, rank: 5, maxIter: 4, regParam: 0.2 };
    const f = await trainAls(r, p, { workers: 1, precision: "f64", computeLoss: true });
    expect(f.lossHistory).toHaveLength(4);
    for (let t = 1; t < 4; t++) expect(f.lossHistory[t]).toBeLessThanOrEqual(f.lossHistory[t - 1] + 1e-9);
    // gradient of sum_s (r - x.y)^2 + lambda n |x|^2 w.r.t. each user's x is ~0 (users are solved last)
    const k = 5;
    for (let ui = 0; ui < f.userIds.length; ui++) {
      const grad = new Float64Array(k);
      let cnt = 0;
      for (let s = 0; s < n; s++) {
        if (r.user[s] !== f.userIds[ui]) continue;
        cnt++;
        const ii = f.itemIds.indexOf(r.item[s]);
        let pred = 0;
        for (let d = 0; d < k; d++) pred += f.userFactors[ui * k + d] * f.itemFactors[ii * k + d];
        for (let d = 0; d < k; d++) grad[d] += (pred - r.rating[s]) * f.itemFactors[ii * k + d];
      }
      for (let d = 0; d < k; d++) grad[d] += 0.2 * cnt * f.userFactors[ui * k + d];
      for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-4); // factors are returned as f32
    }
  });
});

describe("trainAls: semantics", () => {
  const rand = lcg(17);
  const n = 6000;
  const r: AlsRatings = {
    user: Int32Array.from({ length: n }, () => Math.floor(rand() * 200)),
    item: Int32Array.from({ length: n }, () => Math.floor(rand() * 150)),
    rating: Float32Array.from({ length: n }, () => Math.floor(rand() * 5) + 1),
  };

  it("implicit: a rating of 0 is the same as leaving the pair out", async () => {
    const zeros = {
      user: Int32Array.from([...r.user, ...r.user.subarray(0, 500)]),
      item: Int32Array.from([...r.item, ...r.item.subarray(500, 1000)]),
      rating: Float32Array.from([...r.rating, ...new Float32Array(500)]),
    };
    for (const solver of ["cholesky", "cg"] as const) {
      const p = { ...base, implicitPrefs: true, rank: 6, maxIter: 3, solver };
      const a = await trainAls(r, p, { workers: 1 });
      const b = await trainAls(zeros, p, { workers: 1 });
      expect([...b.userIds]).toEqual([...a.userIds]);
      // equal up to f32 rounding: the CG kernel batches 4 ratings, so extra zero-weight ratings regroup its sums
      // (a zero rating that contributed anything would move the factors by ~0.1)
      expect(Math.max(...a.userFactors.map((v, i) => Math.abs(v - b.userFactors[i])))).toBeLessThan(1e-5);
      expect(Math.max(...a.itemFactors.map((v, i) => Math.abs(v - b.itemFactors[i])))).toBeLessThan(1e-5);
    }
  });

  it("nonnegative: all factors >= 0 and a lower objective than clipping the unconstrained factors", async () => {
    const p = { ...base, rank: 6, maxIter: 5, nonnegative: true };
    const f = await trainAls(r, p, { workers: 1, computeLoss: true });
    expect(f.userFactors.every((v) => v >= 0)).toBe(true);
    expect(f.itemFactors.every((v) => v >= 0)).toBe(true);
    const free = await trainAls(r, { ...p, nonnegative: false }, { workers: 1 });
    const objective = (uf: Float32Array, itf: Float32Array): number => {
      let o = 0;
      const k = 6;
      const ucount = new Map<number, number>();
      const icount = new Map<number, number>();
      for (let s = 0; s < n; s++) {
        const ui = free.userIds.indexOf(r.user[s]);
        const ii = free.itemIds.indexOf(r.item[s]);
        ucount.set(ui, (ucount.get(ui) ?? 0) + 1);
        icount.set(ii, (icount.get(ii) ?? 0) + 1);
        let pred = 0;
        for (let d = 0; d < k; d++) pred += uf[ui * k + d] * itf[ii * k + d];
        o += (r.rating[s] - pred) ** 2;
      }
      for (const [ui, c] of ucount) for (let d = 0; d < k; d++) o += 0.1 * c * uf[ui * k + d] ** 2;
      for (const [ii, c] of icount) for (let d = 0; d < k; d++) o += 0.1 * c * itf[ii * k + d] ** 2;
      return o;
    };
    const clip = (a: Float32Array): Float32Array => a.map((v) => Math.max(0, v));
    const nnObj = objective(f.userFactors, f.itemFactors);
    expect(nnObj).toBeCloseTo(f.lossHistory.at(-1)!, 0);
    expect(nnObj).toBeLessThan(objective(clip(free.userFactors), clip(free.itemFactors)));
  });

  it("the implicit loss history's last value is the objective over every (user, item) pair, positive ratings weighting the regularisation", async () => {
    const rand = lcg(17);
    const pairs = new Map<number, number>();
    while (pairs.size < 900) pairs.set(Math.floor(rand() * 60) * 1000 + Math.floor(rand() * 50), Math.floor(rand() * 7) - 2);
    const keys = [...pairs.keys()];
    const r: AlsRatings = {
      user: Int32Array.from(keys, (key) => Math.floor(key / 1000)),
      item: Int32Array.from(keys, (key) => key % 1000),
      rating: Float32Array.from(keys, (key) => pairs.get(key)!),
    };
    const k = 4;
    const p = { ...base, rank: k, maxIter: 3, regParam: 0.3, implicitPrefs: true, alpha: 2 };
    const f = await trainAls(r, p, { workers: 1, precision: "f64", computeLoss: true });
    let o = 0;
    const uPos = new Float64Array(f.userIds.length);
    const iPos = new Float64Array(f.itemIds.length);
    for (let ui = 0; ui < f.userIds.length; ui++) {
      for (let ii = 0; ii < f.itemIds.length; ii++) {
        const rating = pairs.get(f.userIds[ui] * 1000 + f.itemIds[ii]);
        const c = rating === undefined ? 1 : 1 + p.alpha * Math.abs(rating);
        const pref = rating !== undefined && rating > 0 ? 1 : 0;
        if (rating !== undefined && rating > 0) {
          uPos[ui]++;
          iPos[ii]++;
        }
        let pred = 0;
        for (let d = 0; d < k; d++) pred += f.userFactors[ui * k + d] * f.itemFactors[ii * k + d];
        o += c * (pref - pred) ** 2;
      }
    }
    for (let ui = 0; ui < f.userIds.length; ui++) for (let d = 0; d < k; d++) o += p.regParam * uPos[ui] * f.userFactors[ui * k + d] ** 2;
    for (let ii = 0; ii < f.itemIds.length; ii++) for (let d = 0; d < k; d++) o += p.regParam * iPos[ii] * f.itemFactors[ii * k + d] ** 2;
    expect(f.lossHistory).toHaveLength(3);
    expect(Math.abs(f.lossHistory.at(-1)! - o)).toBeLessThan(1e-9 * o);
  });

  it("planted low-rank data: test RMSE within 10% of the noise level", async () => {
    const g = lcg(99);
    const users = 400;
    const items = 300;
    const k = 3;
    const sigma = 0.1;
    const U = Float64Array.from({ length: users * k }, () => gauss(g));
    const V = Float64Array.from({ length: items * k }, () => gauss(g));
    const train: number[][] = [[], [], []];
    const test: number[][] = [[], [], []];
    for (let u = 0; u < users; u++) {
      for (let i = 0; i < items; i++) {
        const x = g();
        if (x > 0.4) continue;
        let v = 0;
        for (let d = 0; d < k; d++) v += U[u * k + d] * V[i * k + d];
        const dst = x < 0.35 ? train : test;
        dst[0].push(u);
        dst[1].push(i);
        dst[2].push(v + sigma * gauss(g));
      }
    }
    const f = await trainAls(
      { user: Int32Array.from(train[0]), item: Int32Array.from(train[1]), rating: Float32Array.from(train[2]) },
      { ...base, rank: k, maxIter: 15, regParam: 0.001 },
      { workers: 2 },
    );
    let se = 0;
    for (let t = 0; t < test[0].length; t++) se += (predict(f, test[0][t], test[1][t]) - test[2][t]) ** 2;
    const rmse = Math.sqrt(se / test[0].length);
    expect(Math.abs(rmse - sigma)).toBeLessThanOrEqual(0.1 * sigma);
  });
});

const ml100k = resolve(sharedDataDir, "movielens-100k/u.data");

describe.runIf(sharedDataPresent([ml100k], "the ML-100k accuracy test in train.test.ts"))("MovieLens 100k", () => {
  it("rank 10, maxIter 10, regParam 0.1, seeded 80/20 split, cold-start pairs dropped: test RMSE in [0.90, 0.95]", async () => {
    const lines = readFileSync(ml100k, "utf8").trim().split("\n");
    const all: AlsRatings = { user: new Int32Array(lines.length), item: new Int32Array(lines.length), rating: new Float32Array(lines.length) };
    lines.forEach((l, i) => {
      const [u, it, r] = l.split("\t");
      all.user[i] = Number(u);
      all.item[i] = Number(it);
      all.rating[i] = Number(r);
    });
    const rand = lcg(2024);
    const isTest = Uint8Array.from({ length: lines.length }, () => (rand() < 0.2 ? 1 : 0));
    const train = subset(all, (i) => isTest[i] === 0);
    const f = await trainAls(train, { ...base, rank: 10, maxIter: 10, regParam: 0.1 }, { workers: 2 });
    let se = 0;
    let cnt = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!isTest[i]) continue;
      const p = predict(f, all.user[i], all.item[i]);
      if (Number.isNaN(p)) continue; // coldStartStrategy "drop"
      se += (p - all.rating[i]) ** 2;
      cnt++;
    }
    const rmse = Math.sqrt(se / cnt);
    expect(cnt).toBeGreaterThan(19_000);
    expect(rmse).toBeGreaterThanOrEqual(0.9);
    expect(rmse).toBeLessThanOrEqual(0.95);
  });
});
