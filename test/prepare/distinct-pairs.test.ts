import { describe, expect, it } from "vitest";
import { Int32, makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { combineKeys, rowKeys } from "../../src/core/row-keys.js";
import { funnelStep } from "../../src/prepare/funnel.js";
import { integerPairCounts } from "../../src/prepare/distinct-pairs.js";
import { SeededRandom } from "../../src/core/rng.js";

/** The hash-table count the funnel used before: rowKeys per column, combineKeys for the pairs. */
function byHash(t: Table) {
  const u = rowKeys(t, ["user"], "t");
  const i = rowKeys(t, ["item"], "t");
  return { users: u.numKeys, items: i.numKeys, duplicatePairs: t.numRows - combineKeys(u, i).numKeys };
}

describe("funnelStep's counts", () => {
  it("match the hash-table counts on string ids with nulls and repeated pairs", () => {
    const r = new SeededRandom(3);
    const n = 5000;
    const users = Array.from({ length: n }, () => (r.nextDouble() < 0.02 ? null : `u${Math.floor(r.nextDouble() * 300)}`));
    const items = Array.from({ length: n }, () => (r.nextDouble() < 0.02 ? null : Math.floor(r.nextDouble() * 40)));
    const t = new Table({ user: vectorFromArray(users, new Utf8()), item: vectorFromArray(items) });
    const got = funnelStep(t, { step: "source" }, { user: "user", item: "item" });
    expect(got).toEqual({ step: "source", rows: n, ...byHash(t) });
    expect(got.duplicatePairs).toBeGreaterThan(0);
  });

  it("counts every pair once when none repeats, and the same column as user and item", () => {
    const t = new Table({ user: makeVector(new Int32Array([1, 1, 2, 2, 3])), item: makeVector(new Int32Array([1, 2, 1, 2, 1])) });
    expect(funnelStep(t, { step: "source" }, { user: "user", item: "item" })).toEqual({ step: "source", rows: 5, users: 3, items: 2, duplicatePairs: 0 });
    expect(funnelStep(t, { step: "source" }, { user: "user", item: "user" }).duplicatePairs).toBe(2);
  });

  it("match the hash-table counts on integer ids read densely (negative ids, nulls, several chunks) and on a wide range", () => {
    const r = new SeededRandom(5);
    const chunk = (n: number, span: number, offset: number) => {
      const users = Array.from({ length: n }, () => (r.nextDouble() < 0.03 ? null : Math.floor(r.nextDouble() * span) - offset));
      const items = Int32Array.from({ length: n }, () => Math.floor(r.nextDouble() * 50) - 7);
      return new Table({ user: vectorFromArray(users, new Int32()), item: makeVector(items) });
    };
    const dense = chunk(3000, 400, 100).concat(chunk(2500, 400, 100));
    expect(dense.getChild("user")!.data.length).toBe(2);
    const got = funnelStep(dense, { step: "source" }, { user: "user", item: "item" });
    expect(got).toEqual({ step: "source", rows: 5500, ...byHash(dense) });
    expect(got.duplicatePairs).toBeGreaterThan(0);
    // A range far wider than the rows takes the labelled path; the counts are the same kind.
    const wide = chunk(3000, 2_000_000_000, 1_000_000_000);
    expect(funnelStep(wide, { step: "source" }, { user: "user", item: "item" })).toEqual({ step: "source", rows: 3000, ...byHash(wide) });
  });

  it("match the hash-table counts on integer ids: negative, sparse, in several chunks, sliced, and too wide for a table", () => {
    const r = new SeededRandom(5);
    const n = 6000;
    const ids = (spread: number, offset: number) => Int32Array.from({ length: n }, () => offset + Math.floor(r.nextDouble() * spread) * 7);
    for (const [spread, offset] of [
      [200, -500],
      [30, 0],
      [50, 2_000_000_000],
    ]) {
      const t = new Table({ user: makeVector(ids(spread, offset)), item: makeVector(ids(40, -3)) });
      expect(funnelStep(t, { step: "source" }, { user: "user", item: "item" })).toEqual({ step: "source", rows: n, ...byHash(t) });
    }
    const wide = new Table({ user: makeVector(Int32Array.from({ length: n }, (_, i) => (i % 97) * 1_000_003)), item: makeVector(ids(40, 0)) });
    expect(funnelStep(wide, { step: "source" }, { user: "user", item: "item" })).toEqual({ step: "source", rows: n, ...byHash(wide) });
    const whole = new Table({ user: makeVector(ids(300, 1)), item: makeVector(ids(40, 1)) });
    const chunked = whole.slice(0, 2500).concat(whole.slice(2500, 4000), whole.slice(4000));
    expect(chunked.batches.length).toBeGreaterThan(1);
    expect(funnelStep(chunked, { step: "source" }, { user: "user", item: "item" })).toEqual({ step: "source", rows: n, ...byHash(whole) });
    // These take the direct path (no codes), whose counts are the ones checked above.
    for (const t of [chunked, whole]) expect(integerPairCounts(t.getChild("user")!, t.getChild("item")!)).toBeDefined();
    const sliced = whole.slice(1234, 5000);
    expect(integerPairCounts(sliced.getChild("user")!, sliced.getChild("item")!)).toBeDefined();
    expect(funnelStep(sliced, { step: "source" }, { user: "user", item: "item" })).toEqual({ step: "source", rows: 5000 - 1234, ...byHash(sliced) });
  });
});
