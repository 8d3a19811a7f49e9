import { describe, expect, it } from "vitest";
import { Float64, Table, vectorFromArray } from "apache-arrow";
import { seenPairs, seenPairsOfUsers } from "../../src/core/seen-pairs.js";
import { SeededRandom } from "../../src/core/rng.js";

describe("a few users' seen pairs", () => {
  it("are seenPairs' pairs of those users, in row order, rows with a null id left out", () => {
    const r = new SeededRandom(9);
    const n = 4000;
    const users = Array.from({ length: n }, () => (r.nextDouble() < 0.03 ? null : Math.floor(r.nextDouble() * 200)));
    const items = Array.from({ length: n }, () => (r.nextDouble() < 0.03 ? null : Math.floor(r.nextDouble() * 90)));
    const t = new Table({ u: vectorFromArray(users, new Float64()), i: vectorFromArray(items, new Float64()) });
    const cols = { userCol: "u", itemCol: "i" };
    const few = Int32Array.from([17, 3, 150, 999]);
    const all = seenPairs(t, cols, "test");
    const keep = new Set(few);
    const want = { users: [] as number[], items: [] as number[] };
    all.users.forEach((u, k) => {
      if (keep.has(u)) {
        want.users.push(u);
        want.items.push(all.items[k]);
      }
    });
    const got = seenPairsOfUsers(t, cols, few, "test");
    expect(want.users.length).toBeGreaterThan(20);
    expect(Array.from(got.users)).toEqual(want.users);
    expect(Array.from(got.items)).toEqual(want.items);
  });

  it("refuses a kept row whose item id is not an integer, naming the column and row", () => {
    const t = new Table({ u: vectorFromArray([1, 2, 1], new Float64()), i: vectorFromArray([4, 5, 6.5], new Float64()) });
    expect(() => seenPairsOfUsers(t, { userCol: "u", itemCol: "i" }, Int32Array.from([1]), "recommend")).toThrow(/column "i" row 2: ids must be integers/);
  });
});
