import { Float32, Float64, Int32, Int64, Table, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { ratingHistogram } from "../../src/run/rating-histogram.js";

describe("rating histogram", () => {
  it("counts each distinct value (ascending) across chunks, skipping nulls and NaN, -0 with 0", () => {
    const a = vectorFromArray([4, 5, 4, null, NaN, 1, -0], new Float64());
    const b = vectorFromArray([0, 5, 5, 3.5], new Float64());
    const t = new Table({ rating: a.concat(b) });
    expect(ratingHistogram(t, "rating")).toEqual([
      { value: -0, count: 2 },
      { value: 1, count: 1 },
      { value: 3.5, count: 1 },
      { value: 4, count: 2 },
      { value: 5, count: 3 },
    ]);
    const ints = new Table({ stars: vectorFromArray([3, 1, 3, null], new Int32()) });
    expect(ratingHistogram(ints, "stars")).toEqual([
      { value: 1, count: 1 },
      { value: 3, count: 2 },
    ]);
  });

  it("bins more than 20 distinct values into 20 equal-width bins over [min, max]", () => {
    const values = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 10); // 0 .. 99.9, each once
    const h = ratingHistogram(new Table({ r: vectorFromArray(values, new Float32()) }), "r")!;
    expect(h).toHaveLength(20);
    expect(h.reduce((s, b) => s + b.count, 0)).toBe(1000);
    expect(h[0].start).toBeCloseTo(0);
    expect(h[19].end).toBeCloseTo(99.9, 4);
    // Equal widths over evenly spread values: 50 values a bin.
    expect(h.map((b) => b.count)).toEqual(new Array(20).fill(50));
  });

  it("reads 64-bit integers with nulls, and a sliced table from its first row", () => {
    const big = new Table({ plays: vectorFromArray([3n, null, 7n, 3n, 3n], new Int64()) });
    expect(ratingHistogram(big, "plays")).toEqual([
      { value: 3, count: 3 },
      { value: 7, count: 1 },
    ]);
    const t = new Table({ r: vectorFromArray([9, 9, 1, 2, 2, 2, 8], new Float64()) });
    expect(ratingHistogram(t.slice(2, 6), "r")).toEqual([
      { value: 1, count: 1 },
      { value: 2, count: 3 },
    ]);
  });

  it("gives nothing for a missing or non-numeric column", () => {
    const t = new Table({ r: vectorFromArray(["a"]) });
    expect(ratingHistogram(t, "r")).toBeUndefined();
    expect(ratingHistogram(t, "nope")).toBeUndefined();
  });
});
