import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { alsModel } from "../../../stages/als/als-model.js";
import { alsParams } from "../../../stages/als/params.js";
import type { FactorSet } from "../../../stages/als/recommend.js";
import { normalisedFactors } from "../../../stages/als/similar-items.js";
import { quietContext } from "../../../src/core/run-context.js";
import { hasSimilarItems } from "../../../src/core/similar-items.js";

/** implicit 0.7.3's similar_items on fixed factors (scripts/gen-similar-items-fixture.py), itself dropped. */
const fixture = JSON.parse(readFileSync(new URL("../../fixtures/similar-items-implicit.json", import.meta.url), "utf8")) as {
  implicit: string;
  k: number;
  rank: number;
  factors: number[][];
  lists: { item: number; similar: number[]; scores: number[] }[];
};

function modelWith(item: FactorSet) {
  const user: FactorSet = { ids: Int32Array.from([0]), factors: new Float32Array(item.rank), rank: item.rank };
  return alsModel(alsParams.parse({ rank: item.rank }), { uid: "als_test", name: "als", explicitParams: new Set() }, user, item);
}

const fromFixture: FactorSet = {
  ids: Int32Array.from(fixture.factors.map((_, i) => i)),
  factors: Float32Array.from(fixture.factors.flat()),
  rank: fixture.rank,
};

describe("ALSModel.similarItems (cosine of item factors)", () => {
  it("is found by capability", () => {
    expect(hasSimilarItems(modelWith(fromFixture))).toBe(true);
  });

  for (const workers of [1, 2]) {
    it(`equals implicit ${fixture.implicit}'s similar_items on the same factors (workers ${workers})`, async () => {
      const m = modelWith(fromFixture);
      const items = fromFixture.ids;
      const l = await m.similarItems(items, fixture.k, quietContext({ workers }));
      for (const want of fixture.lists) {
        const q = want.item;
        expect(l.counts[q]).toBe(fixture.k);
        expect(Array.from(l.similar.subarray(q * l.k, q * l.k + fixture.k)), `item ${q}`).toEqual(want.similar);
        want.scores.forEach((s, j) => expect(l.scores[q * l.k + j]).toBeCloseTo(s, 5));
      }
    });
  }

  it("never lists the item itself, even when another item has the same direction", async () => {
    // Items 1 and 2 point the same way (cosine 1 with each other and with themselves); 3 is orthogonal.
    const item: FactorSet = { ids: Int32Array.from([1, 2, 3]), factors: Float32Array.from([1, 0, 3, 0, 0, 2]), rank: 2 };
    const l = await modelWith(item).similarItems(Int32Array.from([1, 2, 3]), 2, quietContext());
    expect(Array.from(l.similar)).toEqual([2, 3, 1, 3, 2, 1]); // 3's two neighbours tie at 0: larger id first
    expect(l.scores[0]).toBeCloseTo(1, 6);
    expect(l.scores[1]).toBeCloseTo(0, 6);
  });

  it("gives an unknown item an empty row and keeps request order and repeats", async () => {
    const l = await modelWith(fromFixture).similarItems(Int32Array.from([7, 999, 7]), 3, quietContext());
    expect(Array.from(l.counts)).toEqual([3, 0, 3]);
    expect(Array.from(l.similar.subarray(3, 6))).toEqual([-1, -1, -1]);
    expect(Array.from(l.similar.subarray(0, 3))).toEqual(fixture.lists[7].similar.slice(0, 3));
    expect(Array.from(l.similar.subarray(6, 9))).toEqual(fixture.lists[7].similar.slice(0, 3));
  });

  it("scores a zero vector 0 against everything (implicit's 1e-10 norm), never NaN", async () => {
    const item: FactorSet = { ids: Int32Array.from([1, 2, 3]), factors: Float32Array.from([0, 0, 1, 1, -1, 1]), rank: 2 };
    expect(Array.from(normalisedFactors(item).factors.subarray(0, 2))).toEqual([0, 0]);
    const l = await modelWith(item).similarItems(Int32Array.from([1, 2]), 2, quietContext());
    expect(Array.from(l.similar.subarray(0, 2))).toEqual([3, 2]);
    expect(Array.from(l.scores.subarray(0, 2))).toEqual([0, 0]);
    expect(Array.from(l.similar.subarray(2, 4))).toEqual([3, 1]); // cos(2, 3) = 0 ties with the zero vector 1
  });
});
