import { describe, expect, it } from "vitest";
import { Int32, makeData, Table, Utf8, Vector, vectorFromArray } from "apache-arrow";
import { funnelStep } from "../../src/prepare/funnel.js";
import { countSource } from "../../src/prepare/source-counts.js";
import { SeededRandom } from "../../src/core/rng.js";

/** A column of Int32 chunks of the given lengths. */
function chunked(values: Int32Array, lengths: number[]): Vector {
  let o = 0;
  return new Vector(lengths.map((n) => makeData({ type: new Int32(), data: values.subarray(o, (o += n)) })));
}

describe("the source's funnel row of a run without prepare:", () => {
  it("is counted on a worker for a large table, equal to funnelStep on this thread (integer ids in chunks, repeated pairs)", async () => {
    const n = (1 << 20) + 7;
    const r = new SeededRandom(11);
    const users = new Int32Array(n);
    const items = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      users[k] = 5 + Math.floor(r.nextDouble() * 40_000);
      items[k] = Math.floor(r.nextDouble() * r.nextDouble() * 3000);
    }
    const lengths = [300_000, 400_000, n - 700_000];
    const t = new Table({ user: chunked(users, lengths), item: chunked(items, lengths), rating: chunked(items, lengths) });
    const cols = { user: "user", item: "item" };
    const got = await countSource(t, cols);
    expect(got.on).toBe("worker");
    const here = funnelStep(t, { step: "source" }, cols);
    expect(got.step).toEqual(here);
    expect(here.duplicatePairs).toBeGreaterThan(0);
  });

  it("counts string ids with nulls on the worker as on this thread", async () => {
    const n = 1 << 20;
    const r = new SeededRandom(5);
    const users = Array.from({ length: n }, () => (r.nextDouble() < 0.01 ? null : `u${Math.floor(r.nextDouble() * 20_000)}`));
    const items = new Int32Array(n).map(() => Math.floor(r.nextDouble() * 500));
    const t = new Table({ user: vectorFromArray(users, new Utf8()), item: chunked(items, [n]) });
    const cols = { user: "user", item: "item" };
    const got = await countSource(t, cols);
    expect(got.on).toBe("worker");
    expect(got.step).toEqual(funnelStep(t, { step: "source" }, cols));
  });

  it("counts a small table, or one without the id columns, on this thread", async () => {
    const t = new Table({ user: chunked(new Int32Array([1, 1, 2]), [3]), item: chunked(new Int32Array([4, 4, 5]), [3]) });
    expect(await countSource(t, { user: "user", item: "item" })).toEqual({
      step: { step: "source", rows: 3, users: 2, items: 2, duplicatePairs: 1 },
      on: "this thread",
    });
    expect((await countSource(t, {})).step).toEqual({ step: "source", rows: 3 });
  });
});
