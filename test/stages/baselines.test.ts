import { makeVector, Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import type { Model, Recommender } from "../../src/core/stage.js";
import { biasBaseline, fitBiases } from "../../stages/bias-baseline.js";
import { mostPopular } from "../../stages/most-popular.js";

const ctx = quietContext();

describe("bias-baseline", () => {
  it("one pass with regParam 0 gives item means then user residual means", () => {
    const users = Int32Array.from([0, 0, 1]);
    const items = Int32Array.from([7, 8, 7]);
    const r = Float64Array.from([4, 2, 3]);
    const b = fitBiases(users, items, r, 0, 1);
    expect(b.mean).toBe(3);
    expect([...b.itemIds]).toEqual([7, 8]);
    expect([...b.itemBias]).toEqual([0.5, -1]); // item 7: (1 + 0)/2 ; item 8: -1
    expect([...b.userBias]).toEqual([(0.5 + 0) / 2, -0.5]); // user 0: (4-3-0.5) + (2-3+1) = 0.5 over 2
  });

  it("damps biases by regParam and predicts with what it knows for unknown ids", async () => {
    const train = new Table({
      user: makeVector(Int32Array.from([0, 1])),
      item: makeVector(Int32Array.from([5, 5])),
      rating: makeVector(Float32Array.from([5, 3])),
    });
    const m = (await buildStage(biasBaseline, { regParam: 2, maxIter: 1 }).fit(train, ctx)) as Model & Recommender;
    const out = m.transform(new Table({ user: makeVector(Int32Array.from([0, 9])), item: makeVector(Int32Array.from([5, 6])) }), ctx) as Table;
    // mu 4; b_item5 = 0 ; b_user0 = 1/(2+1)
    const pred = [...(out.getChild("prediction") as Iterable<number>)];
    expect(pred[0]).toBeCloseTo(4 + 1 / 3, 6);
    expect(pred[1]).toBe(4);
  });

  it("recommends by item bias, excluding seen items; unknown users get nothing", async () => {
    const train = new Table({
      user: makeVector(Int32Array.from([0, 0, 1, 1])),
      item: makeVector(Int32Array.from([1, 2, 2, 3])),
      rating: makeVector(Float32Array.from([5, 1, 1, 4])),
    });
    const m = (await buildStage(biasBaseline, { regParam: 0, maxIter: 3 }).fit(train, ctx)) as Model & Recommender;
    const recs = await m.recommendForUsers(Int32Array.from([0, 1, 42]), 2, ctx, { users: Int32Array.from([0, 0]), items: Int32Array.from([1, 2]) });
    expect([...recs.counts]).toEqual([1, 2, 0]);
    expect(recs.items[0]).toBe(3);
    expect([...recs.items.subarray(2, 4)]).toEqual([1, 3]);
    expect(recs.items[4]).toBe(-1);
    expect(recs.scores[2]).toBeGreaterThanOrEqual(recs.scores[3]);
  });
});

describe("most-popular after bias-baseline on the same training table", () => {
  const table = () =>
    new Table({
      user: makeVector(Int32Array.from([4, 2, 4, 9, 2, 2])),
      item: makeVector(Int32Array.from([30, 10, 10, 30, 20, 30])),
      other: makeVector(Int32Array.from([1, 1, 1, 1, 1, 2])),
      rating: makeVector(Float32Array.from([5, 3, 4, 1, 2, 3])),
    });
  const saved = async (fitted: Promise<unknown>) => {
    const s = ((await fitted) as Model).save();
    return Object.fromEntries(Object.entries(s.tables ?? {}).map(([k, t]) => [k, t.schema.fields.map((f) => [...(t.getChild(f.name) as Iterable<number>)])]));
  };

  it("is the model most-popular fits alone (it reuses the ids and counts bias-baseline kept)", async () => {
    const alone = await saved(buildStage(mostPopular, {}).fit(table(), ctx));
    expect(alone).toEqual({
      users: [[2, 4, 9]],
      itemCounts: [
        [10, 20, 30],
        [2, 1, 3],
      ],
    });
    const t = table();
    await buildStage(biasBaseline, {}).fit(t, ctx);
    expect(await saved(buildStage(mostPopular, {}).fit(t, ctx))).toEqual(alone);
  });

  it("counts its own columns when bias-baseline indexed other ones", async () => {
    const t = table();
    await buildStage(biasBaseline, {}).fit(t, ctx);
    expect(await saved(buildStage(mostPopular, { itemCol: "other" }).fit(t, ctx))).toEqual({
      users: [[2, 4, 9]],
      itemCounts: [
        [1, 2],
        [5, 1],
      ],
    });
  });
});
