import { Dictionary, Float64, Int16, Int32, makeVector, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringCodes } from "../../src/core/string-codes.js";

/** The obvious coding: each distinct value's string, numbered by first appearance; null -> -1. */
function referenceCodes(values: (number | null)[]): { codes: number[]; labels: string[] } {
  const byLabel = new Map<string, number>();
  const labels: string[] = [];
  const codes = values.map((x) => {
    if (x === null) return -1;
    const s = String(x);
    let c = byLabel.get(s);
    if (c === undefined) byLabel.set(s, (c = labels.push(s) - 1));
    return c;
  });
  return { codes, labels };
}

function check(v: Vector, values: (number | null)[]): void {
  const got = stringCodes(v, "id", "test");
  const want = referenceCodes(values);
  expect(got.labels).toEqual(want.labels);
  expect(Array.from(got.codes)).toEqual(want.codes);
}

describe("stringCodes on integer columns", () => {
  it("codes compact and wide ranges, negatives, nulls and sliced chunks as the string coding does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 8 }), { maxLength: 60 }),
        fc.array(fc.option(fc.integer(), { nil: null, freq: 8 }), { maxLength: 20 }),
        fc.nat(10),
        (compact, wide, cut) => {
          // Compact ids take the lookup-table path; full-range Int32 values (wider than any table) the Map path.
          for (const values of [compact, wide, [...compact, ...wide]]) {
            const whole = vectorFromArray(values, new Int32());
            check(whole, values);
            // Two chunks, the second a slice with a non-zero offset into its buffers.
            const k = Math.min(cut, values.length);
            const chunked = vectorFromArray(values.slice(0, k), new Int32()).concat(vectorFromArray([7, ...values.slice(k)], new Int32()).slice(1));
            check(chunked, values);
          }
        },
      ),
    );
  });

  it("codes narrow and unsigned integer types by value", () => {
    check(vectorFromArray([3, -2, 3, null, 700], new Int16()), [3, -2, 3, null, 700]);
    const big = [4_000_000_000, 4_000_000_001, 4_000_000_000];
    check(makeVector(new Uint32Array(big)), big);
    check(vectorFromArray([null, null], new Int32()), [null, null]);
  });

  it("reads sliced string, dictionary and float chunks from their first row", () => {
    const strings = ["a", null, "b", "a", "c"];
    for (const type of [new Utf8(), new Dictionary(new Utf8(), new Int32())]) {
      const v = vectorFromArray(["x", "y", ...strings], type).slice(2);
      // A dictionary's labels may hold entries no row uses; each row's code must still name its own string.
      const got = stringCodes(v, "id", "test");
      expect(Array.from(got.codes, (c) => (c < 0 ? null : got.labels[c]))).toEqual(strings);
    }
    const floats = vectorFromArray([9.5, 1.5, null, 2.5], new Float64()).slice(1);
    expect(stringCodes(floats, "id", "test").labels).toEqual(["1.5", "2.5"]);
  });
});
