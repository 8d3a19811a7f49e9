import { makeVector, Table } from "apache-arrow";
import { originalIdColumn } from "./original-id-column.js";
import { InputError } from "../core/errors.js";
import type { ItemRecommendationLists, RecommendationLists } from "../core/stage.js";
import { IdLabels } from "./id-labels.js";
import type { PipelineModel } from "./pipeline-model.js";

export interface RecommendationsTable {
  /** Flat, one row per (user, rank): <user col>, rank (1-based), <item col>, rating; ids as the data wrote them. */
  table?: Table;
  users: number;
  k: number;
  /** With `items`: one row per (item, rank): <item col>, rank, <user col>, rating (Spark's recommendForAllItems, flat). */
  itemTable?: Table;
  /** With `similarItems`: one row per (item, rank): <item col>, rank, similar<Item col>, score (similar-items.parquet). */
  similarTable?: Table;
  items: number;
}

/**
 * Top-k lists (from either engine), as the flat tables with original ids. `requested` counts
 * the known users/items asked for (a user whose list came back empty still counts).
 */
export function recommendationsTable(
  model: PipelineModel,
  lists: { users?: RecommendationLists; items?: ItemRecommendationLists },
  requested: { users: number; items: number },
  k: number,
): RecommendationsTable {
  const rec = model.recommender();
  if (!rec)
    throw new InputError(
      "E_SPEC",
      `recommend: the pipeline's last model (${model.stages.at(-1)?.type ?? "none"}) cannot rank items; use a recommender such as als`,
    );
  const userIds = new IdLabels(model, rec.userCol);
  const itemIds = new IdLabels(model, rec.itemCol);
  const userName = inputName(model, rec.userCol);
  const itemName = inputName(model, rec.itemCol);
  const out: RecommendationsTable = { users: 0, items: 0, k };
  const u = lists.users;
  if (u) {
    out.table = flatten(u.users, u.items, u.scores, u.counts, u.k, userIds, itemIds, userName, itemName);
    out.users = requested.users;
  }
  const i = lists.items;
  if (i) {
    out.itemTable = flatten(i.items, i.users, i.scores, i.counts, i.k, itemIds, userIds, itemName, userName);
    out.items = requested.items;
  }
  return out;
}

function inputName(model: PipelineModel, col: string): string {
  for (const s of model.stages) {
    const named = (s as unknown as { inputColFor?: (c: string) => string | undefined }).inputColFor?.(col);
    if (named) return named;
  }
  return col;
}

function flatten(
  keys: Int32Array,
  values: Int32Array,
  scores: Float32Array,
  counts: Int32Array,
  k: number,
  keyIds: IdLabels,
  valueIds: IdLabels,
  keyName: string,
  valueName: string,
): Table {
  let n = 0;
  for (let q = 0; q < keys.length; q++) n += counts[q];
  const kCodes = new Int32Array(n);
  const vCodes = new Int32Array(n);
  const rank = new Int32Array(n);
  const rating = new Float32Array(n);
  for (let q = 0, o = 0; q < keys.length; q++) {
    for (let j = 0; j < counts[q]; j++, o++) {
      kCodes[o] = keys[q];
      vCodes[o] = values[q * k + j];
      rank[o] = j + 1;
      rating[o] = scores[q * k + j];
    }
  }
  return new Table({
    [keyName]: originalIdColumn(kCodes, keyIds),
    rank: makeVector(rank),
    [valueName]: originalIdColumn(vCodes, valueIds),
    rating: makeVector(rating),
  });
}
