import { Field, Float32, makeVector, type Schema, type Table } from "apache-arrow";
import { sparkParamMaps, type StageInfo } from "../../src/core/define-stage.js";
import { InputError } from "../../src/core/errors.js";
import type { RunContext } from "../../src/core/run-context.js";
import type { SavedStage } from "../../src/core/saved-stage.js";
import type { SimilarItemLists, SimilarItems } from "../../src/core/similar-items.js";
import type { Model, RecommendationLists, Recommender } from "../../src/core/stage.js";
import { filterRows, requireNumeric, schemaWith, withColumns } from "../../src/core/table.js";
import { makeIdLookup } from "../../src/kernels/id-lookup.js";
import { integerIds } from "../als/input-columns.js";
import { neighboursTable, userRatingsTable, type ItemKnnState } from "./model-tables.js";
import { recommendFromNeighbours, type ExclusionRows } from "./neighbours.js";
import { itemKnnParams, type ItemKnnParams } from "./params.js";
import { predictPairs } from "./predict.js";

export const ITEM_KNN_MODEL_CLASS = "recpipe.recommendation.ItemKNNModel";
/** Params a fitted model lets you change (as ALSModel's setters do); the rest shaped the neighbour lists. */
const SETTABLE = ["userCol", "itemCol", "predictionCol", "coldStartStrategy"];

export interface ItemKnnModel extends Model, Recommender, SimilarItems {
  readonly state: ItemKnnState;
}

export function itemKnnOutputSchema(p: ItemKnnParams, schema: Schema, where: string): Schema {
  requireNumeric(schema, p.userCol, `${where}.userCol`);
  requireNumeric(schema, p.itemCol, `${where}.itemCol`);
  return schemaWith(schema, [new Field(p.predictionCol, new Float32(), true)]);
}

export function itemKnnModel(p: ItemKnnParams, info: StageInfo, state: ItemKnnState): ItemKnnModel {
  const itemRow = makeIdLookup(state.itemIds);
  return {
    role: "model",
    type: "item-knn",
    ...info,
    params: p,
    state,
    userCol: p.userCol,
    itemCol: p.itemCol,
    settableParams: SETTABLE,
    withParams(overrides: Record<string, unknown>): ItemKnnModel {
      const bad = Object.keys(overrides).filter((key) => !SETTABLE.includes(key));
      if (bad.length) throw new InputError("E_ARGS", `ItemKNNModel: ${bad.join(", ")} cannot be set on a fitted model; settable: ${SETTABLE.join(", ")}`);
      const q = itemKnnParams.parse({ ...p, ...overrides });
      return itemKnnModel(q, { ...info, explicitParams: new Set([...info.explicitParams, ...Object.keys(overrides)]) }, state);
    },
    transformSchema: (schema) => itemKnnOutputSchema(p, schema, info.name),
    transform(table: Table) {
      const users = integerIds(table, p.userCol, info.name);
      const items = integerIds(table, p.itemCol, info.name);
      const pred = predictPairs(state, users, items, p.implicitPrefs);
      const out = withColumns(table, { [p.predictionCol]: makeVector(pred) });
      if (p.coldStartStrategy !== "drop") return out;
      const keep = new Uint8Array(pred.length);
      for (let i = 0; i < pred.length; i++) keep[i] = Number.isNaN(pred[i]) ? 0 : 1;
      return filterRows(out, keep);
    },
    knownUsers: () => state.userIds.slice(),
    knownItems: () => state.itemIds.slice(),
    async recommendForUsers(users: Int32Array, k: number, ctx: RunContext, exclude?: { users: Int32Array; items: Int32Array }): Promise<RecommendationLists> {
      if (!Number.isInteger(k) || k < 1) throw new InputError("E_SPEC", `number of recommendations must be an integer >= 1; got ${k}`);
      const userRow = makeIdLookup(state.userIds);
      const queryRows = Int32Array.from(users, (u) => userRow(u));
      const exclusion = exclude ? exclusionRows(exclude, userRow, itemRow, state.userIds.length) : null;
      const top = await recommendFromNeighbours(state.rows, state.neighbours, queryRows, k, exclusion, { workers: ctx.workers }, state.home);
      const ids = Int32Array.from(top.idx, (i) => (i >= 0 ? state.itemIds[i] : -1));
      return { users: Int32Array.from(users), items: ids, scores: top.scores, counts: top.counts, k };
    },
    async similarItems(items: Int32Array, k: number): Promise<SimilarItemLists> {
      if (!Number.isInteger(k) || k < 1) throw new InputError("E_ARGS", `similar items: k must be an integer >= 1; got ${k}`);
      const n = state.neighbours;
      const similar = new Int32Array(items.length * k).fill(-1);
      const scores = new Float32Array(items.length * k).fill(NaN);
      const counts = new Int32Array(items.length);
      items.forEach((id, q) => {
        const i = itemRow(id);
        if (i < 0) return;
        // the fitted lists hold n.k neighbours, most similar first (ties to the larger id): a longer list needs a larger k at fit
        counts[q] = Math.min(k, n.counts[i]);
        for (let t = 0; t < counts[q]; t++) {
          similar[q * k + t] = state.itemIds[n.idx[i * n.k + t]];
          scores[q * k + t] = n.sims[i * n.k + t];
        }
      });
      return { items: Int32Array.from(items), similar, scores, counts, k };
    },
    save(): SavedStage {
      return {
        className: ITEM_KNN_MODEL_CLASS,
        uid: info.uid,
        ...sparkParamMaps(p, info.explicitParams, undefined, itemKnnParams),
        extra: { numNeighbours: state.neighbours.k },
        tables: { neighbours: neighboursTable(state), userRatings: userRatingsTable(state) },
      };
    },
  };
}

/**
 * The excluded (user, item) pairs as CSR over the model's users, in dense item indices: pairs naming a user or an item
 * the model does not know can never be recommended anyway, and are dropped. Counted first, then written straight into
 * the kernel's memory (at 25M pairs, no 100 MB staging copy).
 */
function exclusionRows(
  exclude: { users: Int32Array; items: Int32Array },
  userRow: (id: number) => number,
  itemRow: (id: number) => number,
  nUsers: number,
): ExclusionRows {
  if (exclude.users.length !== exclude.items.length) {
    throw new InputError("E_DATA", `exclude: ${exclude.users.length} user ids but ${exclude.items.length} item ids; expected one of each per seen pair`);
  }
  const n = exclude.users.length;
  const indptr = new Int32Array(nUsers + 1);
  for (let e = 0; e < n; e++) {
    const u = userRow(exclude.users[e]);
    if (u >= 0 && itemRow(exclude.items[e]) >= 0) indptr[u + 1]++;
  }
  for (let u = 0; u < nUsers; u++) indptr[u + 1] += indptr[u];
  return {
    indptr,
    nnz: indptr[nUsers],
    writeIndices(into: Int32Array): void {
      const cursor = indptr.slice(0, nUsers);
      for (let e = 0; e < n; e++) {
        const u = userRow(exclude.users[e]);
        if (u < 0) continue;
        const i = itemRow(exclude.items[e]);
        if (i >= 0) into[cursor[u]++] = i;
      }
    },
  };
}
