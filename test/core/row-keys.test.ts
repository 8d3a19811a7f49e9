/**
 * Row keys (src/core/row-keys.ts), which drop-duplicates and min-count-filter group by: equal on every column gives
 * equal keys, numbered by first appearance, on both of combineKeys' paths (a direct table for small key products,
 * grouping for large ones), held to a naive Map over the rows' values.
 */
import { Table, makeVector, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { combineKeys, rowKeys, type RowKeys } from "../../src/core/row-keys.js";
import { SeededRandom } from "../../src/core/rng.js";

function naive(columns: (number | string | null)[][]): RowKeys {
  const seen = new Map<string, number>();
  const keys = new Int32Array(columns[0].length);
  for (let r = 0; r < keys.length; r++) {
    const k = JSON.stringify(columns.map((c) => c[r]));
    let v = seen.get(k);
    if (v === undefined) seen.set(k, (v = seen.size));
    keys[r] = v;
  }
  return { keys, numKeys: seen.size };
}

function random(seed: number): () => number {
  const r = new SeededRandom(seed);
  return () => r.nextDouble();
}

describe("rowKeys", () => {
  for (const [label, users, items, rows] of [
    ["small key product (direct table)", 5, 7, 200],
    ["large key product (grouped)", 3000, 2000, 20000],
  ] as const)
    it(`numbers (user, item) pairs by first appearance: ${label}`, () => {
      const r = random(users);
      const u = Array.from({ length: rows }, () => Math.floor(r() * r() * users));
      const i = Array.from({ length: rows }, () => (r() < 0.05 ? null : `v${Math.floor(r() * r() * items)}`));
      const table = new Table({ u: makeVector(Int32Array.from(u)), i: vectorFromArray(i) });
      const got = rowKeys(table, ["u", "i"], "test");
      const want = naive([u, i]);
      expect(got.numKeys).toBe(want.numKeys);
      expect(Array.from(got.keys)).toEqual(Array.from(want.keys));
      expect(want.numKeys).toBeLessThan(rows); // the fixture has repeated pairs
    });

  it("combines three columns pairwise with the same numbering", () => {
    const r = random(9);
    const cols = [0, 1, 2].map(() => Array.from({ length: 5000 }, () => Math.floor(r() * 40)));
    const table = new Table({ a: makeVector(Int32Array.from(cols[0])), b: makeVector(Int32Array.from(cols[1])), c: makeVector(Int32Array.from(cols[2])) });
    expect(Array.from(rowKeys(table, ["a", "b", "c"], "test").keys)).toEqual(Array.from(naive(cols).keys));
  });

  it("grouped and direct paths agree on the same pairs", () => {
    const r = random(3);
    const n = 3000;
    const a = { keys: Int32Array.from({ length: n }, () => Math.floor(r() * 60)), numKeys: 60 };
    const b = { keys: Int32Array.from({ length: n }, () => Math.floor(r() * 50)), numKeys: 50 };
    // 60 x 50 = 3000 slots takes the direct table; the same pairs with b's key space widened take the grouped path.
    const direct = combineKeys(a, b);
    const grouped = combineKeys(a, { keys: b.keys, numKeys: 1 << 20 });
    expect(Array.from(grouped.keys)).toEqual(Array.from(direct.keys));
    expect(grouped.numKeys).toBe(direct.numKeys);
  });
});
