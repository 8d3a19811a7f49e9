import { describe, expect, it } from "vitest";
import { alsModel } from "../../../stages/als/als-model.js";
import { alsParams } from "../../../stages/als/params.js";
import type { FactorSet } from "../../../stages/als/recommend.js";
import { quietContext } from "../../../src/core/run-context.js";

/** ALSModel's item -> users direction (Spark's recommendForAllItems / recommendForItemSubset) against brute force. */
function factors(ids: number[], rank: number, seed: number): FactorSet {
  let a = seed;
  const next = () => (a = (a * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  return { ids: Int32Array.from(ids), factors: Float32Array.from({ length: ids.length * rank }, next), rank };
}

function bruteTopUsers(user: FactorSet, item: FactorSet, itemId: number, k: number, seen: Set<string>): Array<[number, number]> {
  const f = Math.fround;
  const i = item.ids.indexOf(itemId);
  const rows: Array<[number, number]> = [];
  user.ids.forEach((uid, u) => {
    if (seen.has(`${uid}:${itemId}`)) return;
    let s = 0;
    for (let d = 0; d < user.rank; d++) s = f(s + f(item.factors[i * item.rank + d] * user.factors[u * user.rank + d]));
    rows.push([uid, s]);
  });
  rows.sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  return rows.slice(0, k);
}

describe("ALSModel.recommendForItems", () => {
  const rank = 5;
  const user = factors([3, 9, 1, 40, 7, 12, 5, 30, 22], rank, 11);
  const item = factors([100, 4, 57, 8, 61, 2], rank, 29);
  const model = alsModel(alsParams.parse({}), { uid: "als_test", name: "als", explicitParams: new Set() }, user, item);
  const ctx = quietContext({ workers: 1 });

  it("gives each item's top users by score, ties to the larger id, as Spark's recommendForAllItems", async () => {
    const r = await model.recommendForItems!(item.ids, 4, ctx);
    expect(Array.from(r.items)).toEqual(Array.from(item.ids));
    item.ids.forEach((id, q) => {
      const got = Array.from({ length: r.counts[q] }, (_, j): [number, number] => [r.users[q * 4 + j], r.scores[q * 4 + j]]);
      expect(got).toEqual(bruteTopUsers(user, item, id, 4, new Set()));
    });
  });

  it("excludes seen (user, item) pairs, keeps request order and gives unknown items an empty list", async () => {
    const seen = { users: Int32Array.from([9, 40, 3]), items: Int32Array.from([57, 57, 2]) };
    const ask = Int32Array.from([57, 999, 2]);
    const r = await model.recommendForItems!(ask, 3, ctx, seen);
    expect(Array.from(r.items)).toEqual([57, 999, 2]);
    expect(r.counts[1]).toBe(0);
    const pairs = new Set(["9:57", "40:57", "3:2"]);
    for (const [q, id] of [
      [0, 57],
      [2, 2],
    ]) {
      const got = Array.from({ length: r.counts[q] }, (_, j): [number, number] => [r.users[q * 3 + j], r.scores[q * 3 + j]]);
      expect(got).toEqual(bruteTopUsers(user, item, id, 3, pairs));
    }
  });

  it("a model's prediction params can be set at use (Spark's setters); the factors are shared", () => {
    const nan = model.withParams!({ coldStartStrategy: "drop", predictionCol: "score" });
    expect(nan.params.coldStartStrategy).toBe("drop");
    expect(nan.params.predictionCol).toBe("score");
    expect(model.params.predictionCol).toBe("prediction");
    expect(() => model.withParams!({ rank: 3 })).toThrow(
      /rank cannot be set on a fitted model; settable: userCol, itemCol, predictionCol, coldStartStrategy, blockSize/,
    );
  });
});
