import { describe, expect, it } from "vitest";
import { makeVector, Table, vectorFromArray } from "apache-arrow";
import { idValues, integerIds, ratings, ratingValues } from "../../../stages/als/input-columns.js";
import { fitBiases } from "../../../stages/bias-baseline.js";

describe("ALS input views", () => {
  it("reads a string-indexer Float64 id column and a Float32 rating column in place, with the values integerIds/ratings give", () => {
    const u = new Float64Array([0, 3, 1, 2]);
    const r = new Float32Array([1.5, 2, 3.25, 4]);
    const t = new Table({ u: makeVector(u), r: makeVector(r) });
    const ids = idValues(t, "u", "als");
    expect(ids.buffer).toBe(u.buffer);
    expect([...ids]).toEqual([...integerIds(t, "u", "als")]);
    const rv = ratingValues(t, "r", "als");
    expect(rv.buffer).toBe(r.buffer);
    expect([...rv]).toEqual([...ratings(t, "r", "als")]);
  });

  it("refuses what integerIds and ratings refuse, with their messages", () => {
    const t = new Table({ u: makeVector(new Float64Array([0, 1.5])), r: makeVector(new Float32Array([1, NaN])), n: vectorFromArray([1, null]) });
    expect(() => idValues(t, "u", "als")).toThrow(/Integer range and without fractional part for column u.*1\.5 \(row 1/);
    expect(() => ratingValues(t, "r", "als")).toThrow(/Ratings MUST NOT be Null or NaN.*column r row 1/);
    expect(() => idValues(t, "n", "als")).toThrow(/null\/NaN \(row 1/);
  });
});

describe("fitBiases", () => {
  it("gives the same biases from a Float32 rating column read in place as from its Float64 copy", () => {
    const users = new Int32Array([0, 0, 1, 1, 2, 2, 2, 3]);
    const items = new Int32Array([5, 6, 5, 7, 6, 7, 5, 6]);
    const r32 = new Float32Array([4.5, 3.1, 2.2, 5, 1.3, 3.7, 4.9, 2.6]);
    const a = fitBiases(users, items, r32, 2, 4);
    const b = fitBiases(users, items, Float64Array.from(r32), 2, 4);
    expect([...a.userBias]).toEqual([...b.userBias]);
    expect([...a.itemBias]).toEqual([...b.itemBias]);
    expect(a.mean).toBe(b.mean);
  });
});
