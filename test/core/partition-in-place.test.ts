import { describe, expect, it } from "vitest";
import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { partitionRowsInPlace } from "../../src/core/partition-in-place.js";
import { partitionRows } from "../../src/core/table.js";
import { randomSplitTable } from "../../stages/random-split.js";
import { syntheticRatings } from "../../src/io/synthetic-ratings.js";

const rows = (t: Table) => t.toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v) => (typeof v === "bigint" ? String(v) : v)));

function fixture(): Table {
  const n = 1000;
  const user = new Int32Array(n).map((_, i) => (i * 7) % 13);
  const rating = new Float64Array(n).map((_, i) => i / 3);
  const ts = new BigInt64Array(n).map((_, i) => BigInt(i * 1000));
  return new Table({ user: makeVector(user), rating: makeVector(rating), ts: makeVector(ts) });
}

describe("partitionRowsInPlace", () => {
  it("gives the same train and test rows as the copying partition, and keeps the table's rows as a multiset", () => {
    const side = new Uint8Array(1000).map((_, i) => ((i * 2654435761) >>> 28) % 2);
    const [copy0, copy1] = partitionRows(fixture(), side);
    const t = fixture();
    const before = rows(t).sort();
    const got = partitionRowsInPlace(t, side)!;
    expect(got).toBeDefined();
    expect(rows(got[0])).toEqual(rows(copy0));
    expect(rows(got[1])).toEqual(rows(copy1));
    expect(rows(t).sort()).toEqual(before);
  });

  it("splits the synthetic source (dictionary ids) exactly as the copying split does", () => {
    const p = { users: 300, items: 200, rank: 3, density: 0.1, noise: 0.3, mean: 3.5, skew: 0, preference: 0 };
    const a = randomSplitTable(syntheticRatings(p, 5).table, [0.8, 0.2], 11, "hash", false);
    const b = randomSplitTable(syntheticRatings(p, 5).table, [0.8, 0.2], 11, "hash", true);
    expect(b.train.numRows).toBe(a.train.numRows);
    expect(rows(b.train)).toEqual(rows(a.train));
    expect(rows(b.test)).toEqual(rows(a.test));
  });

  it("refuses, changing nothing, a table with nulls, strings, a column under two names or a dropped row", () => {
    const side = new Uint8Array([0, 1, 0, 1]);
    const ints = new Int32Array([1, 2, 3, 4]);
    const shared = new Table({ a: makeVector(ints), b: makeVector(ints) });
    expect(partitionRowsInPlace(shared, side)).toBeUndefined();
    expect([...ints]).toEqual([1, 2, 3, 4]);
    const strings = new Table({ a: makeVector(new Int32Array([1, 2, 3, 4])), s: vectorFromArray(["w", "x", "y", "z"], new Utf8()) });
    expect(partitionRowsInPlace(strings, side)).toBeUndefined();
    expect([...(strings.getChild("a")!.toArray() as Int32Array)]).toEqual([1, 2, 3, 4]);
    const nulls = new Table({ a: vectorFromArray([1, null, 3, 4]) });
    expect(partitionRowsInPlace(nulls, side)).toBeUndefined();
    const dropped = new Table({ a: makeVector(new Int32Array([1, 2, 3, 4])) });
    expect(partitionRowsInPlace(dropped, new Uint8Array([0, 255, 1, 0]))).toBeUndefined();
    expect([...(dropped.getChild("a")!.toArray() as Int32Array)]).toEqual([1, 2, 3, 4]);
  });
});
