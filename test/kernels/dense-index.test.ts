import { describe, expect, it } from "vitest";
import { denseIndex as denseIds } from "../../src/kernels/dense-ids.js";
import { fillCsr } from "../../src/kernels/ratings-csr.js";

describe("denseIds", () => {
  for (const [name, ids] of [
    ["compact range (lookup table)", Int32Array.of(30, 10, 20, 10, -5, 30)],
    ["huge range (sort + binary search)", Int32Array.of(2147483647, -2147483648, 0, 2147483647, 7)],
  ] as const) {
    it(`${name}: ascending distinct ids, each rating mapped to its rank`, () => {
      const dense = new Int32Array(ids.length);
      const uniq = denseIds(ids, dense);
      const expected = [...new Set(ids)].sort((a, b) => a - b);
      expect([...uniq]).toEqual(expected);
      for (let i = 0; i < ids.length; i++) expect(uniq[dense[i]]).toBe(ids[i]);
    });
  }
});

describe("fillCsr", () => {
  it("groups by row, keeps input order inside a row, counts duplicates", () => {
    const rows = Int32Array.of(2, 0, 2, 1, 0, 2);
    const cols = Int32Array.of(5, 1, 3, 4, 1, 5);
    const vals = Float32Array.of(1, 2, 3, 4, 5, 6);
    const indptr = new Int32Array(4);
    const indices = new Int32Array(6);
    const values = new Float32Array(6);
    fillCsr(rows, cols, vals, 3, indptr, indices, values);
    expect([...indptr]).toEqual([0, 2, 3, 6]);
    expect([...indices]).toEqual([1, 1, 4, 5, 3, 5]);
    expect([...values]).toEqual([2, 5, 4, 1, 3, 6]);
  });
});
