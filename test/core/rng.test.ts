import { describe, expect, it } from "vitest";
import { SeededRandom, spawnSeed } from "../../src/core/rng.js";

describe("seeded randomness", () => {
  it("repeats for the same seed and differs across seeds", () => {
    const a = new SeededRandom(7),
      b = new SeededRandom(7),
      c = new SeededRandom(8);
    const xa = Array.from({ length: 5 }, () => a.nextDouble());
    expect(Array.from({ length: 5 }, () => b.nextDouble())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.nextDouble())).not.toEqual(xa);
  });
  it("derives child seeds by label, independent of call order", () => {
    expect(spawnSeed(42, "fold-1")).toBe(spawnSeed(42, "fold-1"));
    expect(spawnSeed(42, "fold-1")).not.toBe(spawnSeed(42, "fold-2"));
    expect(spawnSeed(42, "fold-1")).not.toBe(spawnSeed(43, "fold-1"));
  });
  it("draws uniform doubles in [0,1) with a plausible mean", () => {
    const r = new SeededRandom(1);
    let s = 0;
    let inRange = true;
    for (let i = 0; i < 100000; i++) {
      const x = r.nextDouble();
      inRange &&= x >= 0 && x < 1;
      s += x;
    }
    expect(inRange).toBe(true);
    expect(Math.abs(s / 100000 - 0.5)).toBeLessThan(0.01);
  });
});
