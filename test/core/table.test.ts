import { tableFromArrays, vectorFromArray, Dictionary, Utf8, Int32, Table, makeVector } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { filterRows, float64Column, partitionRows, requireField, takeRows, withColumns } from "../../src/core/table.js";

describe("table helpers", () => {
  const dictType = new Dictionary(new Utf8(), new Int32());
  const t = new Table({
    n: makeVector(new Float64Array([1, 2, 3, 4])),
    i: makeVector(new Int32Array([10, 20, 30, 40])),
    s: vectorFromArray(["a", "bb", null, "dddd"], new Utf8()),
    d: vectorFromArray(["x", "y", "x", null], dictType),
  });

  it("partitions rows by side in one pass: both outputs in row order, other sides dropped, nulls and chunks kept", () => {
    const side = new Uint8Array([1, 0, 255, 0]);
    const chunked = t.concat(t); // two record batches: every column has two chunks (the dictionary one shares its dictionary)
    const [a, b] = partitionRows(chunked, new Uint8Array([...side, ...side]));
    expect(a.numRows).toBe(4);
    expect(b.numRows).toBe(2);
    expect([...a.getChild("i")!]).toEqual([20, 40, 20, 40]);
    expect([...b.getChild("n")!]).toEqual([1, 1]);
    expect([...a.getChild("s")!]).toEqual(["bb", "dddd", "bb", "dddd"]);
    expect([...a.getChild("d")!]).toEqual(["y", null, "y", null]);
    expect([...b.getChild("d")!]).toEqual(["x", "x"]);
    expect(String(a.schema)).toBe(String(t.schema));
  });

  it("takes rows of every column type in the given order, keeping nulls", () => {
    const r = takeRows(t, new Int32Array([3, 0, 2]));
    expect(r.numRows).toBe(3);
    expect([...r.getChild("n")!]).toEqual([4, 1, 3]);
    expect([...r.getChild("i")!]).toEqual([40, 10, 30]);
    expect([...r.getChild("s")!]).toEqual(["dddd", "a", null]);
    expect([...r.getChild("d")!]).toEqual([null, "x", "x"]);
    expect(r.getChild("d")!.type).toBeInstanceOf(Dictionary);
  });

  it("takes from multi-chunk columns", () => {
    const a = tableFromArrays({ v: new Float32Array([1, 2]) });
    const b = tableFromArrays({ v: new Float32Array([3, 4, 5]) });
    const c = a.concat(b);
    expect(c.getChild("v")!.data.length).toBe(2);
    expect([...takeRows(c, new Int32Array([4, 1, 2])).getChild("v")!]).toEqual([5, 2, 3]);
  });

  it("filters by mask and reads numeric columns as Float64 with NaN for null", () => {
    const f = filterRows(t, new Uint8Array([0, 1, 0, 1]));
    expect([...float64Column(f, "i")]).toEqual([20, 40]);
    const withNull = new Table({ x: vectorFromArray([1, null, 3], new Int32()) });
    expect([...float64Column(withNull, "x")].map((x) => (Number.isNaN(x) ? "NaN" : x))).toEqual([1, "NaN", 3]);
  });

  it("names a missing column with a suggestion", () => {
    expect(() => requireField(t.schema, "dd", "pipeline[0] (als).userCol")).toThrow(/column "dd" not found \(did you mean "d"\?\); columns are: n, i, s, d/);
  });

  it("replaces and appends columns", () => {
    const r = withColumns(t, { i: makeVector(new Int32Array([1, 1, 1, 1])), z: makeVector(new Float64Array(4)) });
    expect(r.schema.fields.map((f) => f.name)).toEqual(["n", "s", "d", "i", "z"]);
  });
});
