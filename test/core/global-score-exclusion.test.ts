/**
 * Global-score recommenders (most-popular, bias-baseline) share the CSR of excluded pairs built from one seen-pairs
 * object only when they index the same users and items: a recommender that knows other ids builds its own, so every
 * list is what a fresh build would give.
 */
import { describe, expect, it } from "vitest";
import { globalScoreRecommender } from "../../src/core/global-score-recommender.js";
import { quietContext } from "../../src/core/run-context.js";

const users = Int32Array.from([1, 2, 3]);
const rec = (itemIds: number[], itemScores: number[], userIds = users) =>
  globalScoreRecommender({
    userCol: "u",
    itemCol: "i",
    userIds,
    userOffsets: new Float64Array(userIds.length),
    itemIds: Int32Array.from(itemIds),
    itemScores: Float64Array.from(itemScores),
  });
const lists = async (r: ReturnType<typeof rec>, exclude: { users: Int32Array; items: Int32Array }) => {
  const out = await r.recommendForUsers(Int32Array.from([1, 2, 3]), 2, quietContext({ workers: 1, seed: 1 }), exclude);
  return Array.from({ length: 3 }, (_, q) => Array.from(out.items.subarray(q * 2, q * 2 + out.counts[q])));
};

describe("global-score exclusion sharing", () => {
  // user 1 saw 30 and 20, user 2 saw 40, user 3 saw nothing
  const seen = { users: Int32Array.from([1, 1, 2]), items: Int32Array.from([30, 20, 40]) };
  const copy = () => ({ users: seen.users.slice(), items: seen.items.slice() });

  it("a second recommender over the same ids gives the lists of a fresh build", async () => {
    const a = rec([10, 20, 30, 40], [1, 2, 3, 4]);
    const b = rec([10, 20, 30, 40], [4, 3, 2, 1]);
    expect(await lists(a, seen)).toEqual([
      [40, 10],
      [30, 20],
      [40, 30],
    ]);
    expect(await lists(b, seen)).toEqual(await lists(b, copy()));
    expect(await lists(b, seen)).toEqual([
      [10, 40],
      [10, 20],
      [10, 20],
    ]);
  });

  it("recommenders over other items or users, or other seen items, build their own", async () => {
    const a = rec([10, 20, 30, 40], [1, 2, 3, 4]);
    await lists(a, seen);
    // items in another order: dense item indices differ, a shared CSR would exclude the wrong items
    const c = rec([20, 30, 40, 50], [1, 2, 3, 4]);
    expect(await lists(c, seen)).toEqual([
      [50, 40],
      [50, 30],
      [50, 40],
    ]);
    expect(await lists(c, seen)).toEqual(await lists(c, copy()));
    const d = rec([10, 20, 30, 40], [1, 2, 3, 4], Int32Array.from([2, 3]));
    expect(await lists(d, seen)).toEqual([[], [30, 20], [40, 30]]);
    const other = { users: seen.users, items: Int32Array.from([10, 10, 10]) };
    expect(await lists(a, other)).toEqual([
      [40, 30],
      [40, 30],
      [40, 30],
    ]);
  });
});
