/**
 * Parity with benfred/implicit 0.7.3: the lists its CosineRecommender, TFIDFRecommender and BM25Recommender give on a
 * small generated matrix (test/fixtures/item-knn/implicit-lists.json, made by implicit_lists.py beside it) equal
 * item-knn's with weighting none, tfidf and bm25 and no shrinkage: the neighbour lists, and the recommendations with
 * seen items excluded. Ties aside: where two items score the same, either order is right.
 */
import { readFileSync } from "node:fs";
import { makeVector, Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import { itemKnn } from "../../stages/item-knn/index.js";
import type { ItemKnnModel } from "../../stages/item-knn/item-knn-model.js";

interface Lists {
  recommendK: number;
  neighbours: number[][];
  neighbourScores: number[][];
  recommend: number[][];
  recommendScores: number[][];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/item-knn/implicit-lists.json", import.meta.url), "utf8")) as {
  k: number;
  nRec: number;
  matrix: { user: number[]; item: number[]; rating: number[] };
  lists: Record<"none" | "tfidf" | "bm25", Lists>;
};
const train = new Table({
  user: makeVector(Int32Array.from(fixture.matrix.user)),
  item: makeVector(Int32Array.from(fixture.matrix.item)),
  rating: makeVector(Float32Array.from(fixture.matrix.rating)),
});

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));

/**
 * Same length, the same score at every position, and the same items within every run of equal scores that ends
 * inside the list (a run cut by the list's end may hold different tied items). Returns the number of tied positions.
 */
function expectSameList(ours: number[], oursScores: number[], theirs: number[], theirScores: number[], what: string): number {
  expect(ours.length, `${what}: length`).toBe(theirs.length);
  for (let t = 0; t < ours.length; t++)
    expect(close(oursScores[t], theirScores[t]), `${what}[${t}]: score ${oursScores[t]} vs implicit's ${theirScores[t]}`).toBe(true);
  let tied = 0;
  for (let s = 0; s < ours.length;) {
    let e = s + 1;
    while (e < ours.length && close(theirScores[e], theirScores[s])) e++;
    if (e - s > 1) tied += e - s;
    const cutByEnd = e === ours.length && e - s > 1;
    if (!cutByEnd) expect([...ours.slice(s, e)].sort(), `${what}: items at ${s}..${e - 1}`).toEqual([...theirs.slice(s, e)].sort());
    s = e;
  }
  return tied;
}

describe("item-knn equals benfred/implicit's item-item recommenders (fixture from implicit 0.7.3)", () => {
  for (const weighting of ["none", "tfidf", "bm25"] as const) {
    const want = fixture.lists[weighting];
    it(`weighting ${weighting}: neighbour lists and recommendations`, async () => {
      const fit = async (k: number) => (await buildStage(itemKnn, { weighting, k }).fit(train, quietContext())) as ItemKnnModel;
      const model = await fit(fixture.k);
      const n = model.state.neighbours;
      let tied = 0;
      let positions = 0;
      for (let i = 0; i < want.neighbours.length; i++) {
        const row = model.state.itemIds.indexOf(i);
        const ids = Array.from(n.idx.subarray(row * n.k, row * n.k + n.counts[row]), (j) => model.state.itemIds[j]);
        tied += expectSameList(
          ids,
          Array.from(n.sims.subarray(row * n.k, row * n.k + n.counts[row])),
          want.neighbours[i],
          want.neighbourScores[i],
          `item ${i} neighbours`,
        );
        positions += ids.length;
      }
      // ties are the exception, not what made the lists agree
      expect(tied).toBeLessThan(positions / 4);

      const recModel = want.recommendK === fixture.k ? model : await fit(want.recommendK);
      const users = Int32Array.from({ length: want.recommend.length }, (_, u) => u);
      const recs = await recModel.recommendForUsers(users, fixture.nRec, quietContext(), {
        users: Int32Array.from(fixture.matrix.user),
        items: Int32Array.from(fixture.matrix.item),
      });
      for (let u = 0; u < users.length; u++) {
        const at = u * recs.k;
        expectSameList(
          Array.from(recs.items.subarray(at, at + recs.counts[u])),
          Array.from(recs.scores.subarray(at, at + recs.counts[u])),
          want.recommend[u],
          want.recommendScores[u],
          `user ${u} recommendations`,
        );
      }
    });
  }
});
