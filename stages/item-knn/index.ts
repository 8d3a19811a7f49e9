import { makeVector, Table } from "apache-arrow";
import { defineStage, loadFromParams, rebuildWithParams, savedParamsAndInfo, saveParams, type StageInfo } from "../../src/core/define-stage.js";
import { InputError } from "../../src/core/errors.js";
import type { Estimator } from "../../src/core/stage.js";
import { requireNumeric } from "../../src/core/table.js";
import { integerIds, ratingsView } from "../als/input-columns.js";
import { ITEM_KNN_MODEL_CLASS, itemKnnModel, itemKnnOutputSchema } from "./item-knn-model.js";
import { stateFromTables } from "./model-tables.js";
import { fitPrepared, prepareFitFromIds } from "./neighbours.js";
import { itemKnnParams, type ItemKnnParams } from "./params.js";

const ITEM_KNN_CLASS = "recpipe.recommendation.ItemKNN";

/**
 * Item-based collaborative filtering with k nearest neighbours (Sarwar et al. 2001), as benfred/implicit's
 * ItemItemRecommender family computes it: sparse item-item products of the training matrix, top-k per item.
 */
export const itemKnn = defineStage({
  type: "item-knn",
  role: "estimator",
  doc:
    "Item-item nearest neighbours (benfred/implicit's CosineRecommender, TFIDFRecommender, BM25Recommender): keeps the k " +
    "items most similar to each item, by cosine of the item columns of the training matrix (weighted by tfidf or bm25 if asked). " +
    "Recommendations rank the items the user has not rated by score(u,i) = sum over the user's items j of r_uj·sim(j,i), " +
    "over the lists of j that hold i (implicit's recommend). Predictions: explicit (implicitPrefs false), the " +
    "similarity-weighted mean of the user's ratings on i's k neighbours, sum(sim(i,j)·r_uj) / sum(|sim(i,j)|) over the " +
    "neighbours j the user rated, NaN when the user rated none; implicit, the recommendation score. recpipe only: saved " +
    "as recpipe.recommendation.ItemKNNModel, which Spark does not load, and refused on --remote.",
  sparkClass: ITEM_KNN_CLASS,
  uidPrefix: "itemKnn",
  params: itemKnnParams,
  create: (p, info) => itemKnnEstimator(p, info),
  loaders: {
    [ITEM_KNN_CLASS]: (s): Estimator => loadFromParams(itemKnn, s),
    [ITEM_KNN_MODEL_CLASS]: (s) => {
      const at = s.origin ?? `ItemKNNModel ${s.uid}`;
      const { params, info } = savedParamsAndInfo(itemKnnParams, "item-knn", s);
      const k = Number(s.extra?.numNeighbours);
      if (!Number.isInteger(k) || k < 1)
        throw new InputError("E_MODEL", `${at}/metadata: "numNeighbours" must be an integer >= 1; found ${JSON.stringify(s.extra?.numNeighbours)}`);
      const nb = s.tables?.neighbours,
        ur = s.tables?.userRatings;
      if (!nb || !ur)
        throw new InputError(
          "E_MODEL",
          `${at}: ItemKNNModel needs neighbours/ and userRatings/ Parquet folders; found ${Object.keys(s.tables ?? {}).join(", ") || "none"}`,
        );
      return itemKnnModel(params, info, stateFromTables(nb, ur, k, at));
    },
  },
  example: () => {
    const user = new Int32Array([0, 0, 1, 1, 2, 2, 3, 3, 3]);
    const item = new Int32Array([0, 1, 1, 2, 0, 2, 0, 1, 2]);
    const rating = new Float32Array([4, 2, 3, 4, 1, 5, 2, 3, 4]);
    return {
      params: { k: 2, coldStartStrategy: "drop" },
      train: new Table({ user: makeVector(user), item: makeVector(item), rating: makeVector(rating) }),
    };
  },
});

/** Settings that zod cannot check one key at a time: refused before any data is read. */
function checkParams(p: ItemKnnParams, where: string): void {
  if (p.weighting === "bm25" && p.shrinkage > 0) {
    throw new InputError(
      "E_SPEC",
      `${where}.shrinkage: weighting bm25 has no cosine denominator to shrink (implicit's BM25Recommender is a plain dot product); expected 0 with bm25, found ${p.shrinkage}`,
    );
  }
}

function itemKnnEstimator(p: ItemKnnParams, info: StageInfo): Estimator {
  return {
    role: "estimator",
    type: "item-knn",
    ...info,
    params: p,
    transformSchema(schema) {
      checkParams(p, info.name);
      if (p.ratingCol !== "") requireNumeric(schema, p.ratingCol, `${info.name}.ratingCol`);
      return itemKnnOutputSchema(p, schema, info.name);
    },
    async fit(table, ctx) {
      const where = info.name;
      checkParams(p, where);
      if (table.numRows === 0) throw new InputError("E_DATA", `${where}: No ratings available from the training data (0 rows)`);
      const users = integerIds(table, p.userCol, where);
      const items = integerIds(table, p.itemCol, where);
      const r = ratingsView(table, p.ratingCol, where);

      if (p.weighting !== "none") {
        const bad = r.findIndex((x) => x < 0);
        if (bad >= 0)
          throw new InputError(
            "E_DATA",
            `${where}: weighting ${p.weighting} needs ratings >= 0 (counts); column ${p.ratingCol} row ${bad} of the training split is ${r[bad]}`,
          );
      }
      const bar = ctx.progress.start(`${where}: item neighbours`, 1, "steps");
      try {
        const { userIds, itemIds, fit } = prepareFitFromIds(
          users,
          items,
          r,
          { k: p.k, shrinkage: p.shrinkage, weighting: p.weighting, K1: p.K1, B: p.B },
          { workers: ctx.workers },
        );
        const fitted = await fitPrepared(fit);
        bar.done();
        return itemKnnModel(p, info, { userIds, itemIds, ...fitted });
      } catch (e) {
        bar.done(true);
        throw e;
      }
    },
    withParams: (o) => rebuildWithParams(itemKnn, p, info, o),
    save: () => saveParams(itemKnn, p, info),
  };
}
