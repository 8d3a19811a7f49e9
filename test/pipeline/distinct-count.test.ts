/** The report's distinct user and item counts are what numbering the column (stringCodes) gives, for every column shape. */
import { Float64, Int16, Int32, Utf8, makeVector, vectorFromArray, type Vector } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { stringCodes } from "../../src/core/string-codes.js";
import { distinctCount } from "../../src/run/distinct-count.js";

const ints = (xs: (number | null)[]) => vectorFromArray(xs, new Int32());

const columns: Array<[string, Vector]> = [
  ["dense ids with repeats", makeVector(Int32Array.from([5, 3, 5, 9, 3, 4, 4, 4]))],
  ["ids with nulls", ints([1, null, 2, 2, null, 7])],
  ["negative ids", ints([-3, -1, -3, 0, 2])],
  [
    "two chunks, one sliced",
    ints([1, 2, 3, 4, 5, 6])
      .slice(2)
      .concat(ints([6, 7, null, 1])),
  ],
  ["ids spread too wide for a bitmap", ints([0, 2_000_000_000, -2_000_000_000, 0, 17])],
  ["int16 ids", vectorFromArray([1, 2, 2, -5], new Int16())],
  ["strings", vectorFromArray(["u1", "u2", null, "u1"], new Utf8())],
  ["doubles with NaN and -0", vectorFromArray([1.5, NaN, -0, 0, 1.5, null], new Float64())],
  ["empty", ints([])],
  ["all null", ints([null, null])],
];

describe("distinctCount", () => {
  it.each(columns)("%s", (_name, v) => {
    expect(distinctCount(v, "c", "test")).toBe(stringCodes(v, "c", "test").labels.length);
  });

  it("counts a 100k-row column of 3,000 ids", () => {
    const xs = Int32Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 3000);
    expect(distinctCount(makeVector(xs), "c", "test")).toBe(3000);
  });
});
