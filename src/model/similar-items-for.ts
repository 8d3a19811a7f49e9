import { makeVector, Table } from "apache-arrow";
import { InputError } from "../core/errors.js";
import type { RunContext } from "../core/run-context.js";
import { hasSimilarItems, type SimilarItemLists, type SimilarItems } from "../core/similar-items.js";
import { isRecommender, type FittedStage } from "../core/stage.js";
import { IdLabels } from "./id-labels.js";
import { originalIdColumn } from "./original-id-column.js";
import type { PipelineModel } from "./pipeline-model.js";
import type { ModelRecommendations } from "./recommend-from-model.js";

/** The fitted stage that lists similar items (found by capability, never by type), with the item column it indexes. */
export interface SimilarItemsStage {
  stage: FittedStage & SimilarItems;
  itemCol: string;
  /** The items it knows, when it says (a Recommender does); an id outside them is unknown. */
  knownItems?: Int32Array;
}

/**
 * The last stage of the pipeline that has item vectors to compare (ALS's item factors, item-knn's similarities).
 * `where` is the key or option that asked (`recommend.similarItems`, `--similar-items`), named in the error.
 */
export function similarItemsStage(model: PipelineModel, where: string): SimilarItemsStage {
  for (let i = model.stages.length - 1; i >= 0; i--) {
    const s = model.stages[i];
    if (!hasSimilarItems(s)) continue;
    const itemCol = isRecommender(s) ? s.itemCol : typeof s.params.itemCol === "string" ? s.params.itemCol : undefined;
    if (!itemCol) continue;
    return { stage: s as FittedStage & SimilarItems, itemCol, knownItems: isRecommender(s) ? s.knownItems() : undefined };
  }
  const types = model.stages.map((s) => s.type).join(", ") || "none";
  throw new InputError(
    "E_SPEC",
    `${where}: expected a model with item vectors to compare (als item factors, or item-knn similarities); the pipeline's stages (${types}) have none`,
  );
}

/** `similar` + the item column, capitalised: movieId -> similarMovieId, item -> similarItem. */
export function similarColumnName(itemCol: string): string {
  return `similar${itemCol.charAt(0).toUpperCase()}${itemCol.slice(1)}`;
}

/**
 * `recpipe recommend --similar-items ID...`: the k most similar items of each requested item, original ids in and
 * out, in the shape the recommendation writers print (key item, rank, similar item, score). An id the model does not
 * know is exit 2 naming it: there is no vector to compare.
 */
export async function similarItemsFromModel(model: PipelineModel, ids: readonly string[], k: number, ctx: RunContext): Promise<ModelRecommendations> {
  const found = similarItemsStage(model, "--similar-items");
  const labels = new IdLabels(model, found.itemCol);
  const known = found.knownItems ? new Set(found.knownItems) : undefined;
  const items = Int32Array.from(
    ids.map((id) => {
      const idx = labels.toIndex(id);
      if (idx === undefined || (known && !known.has(idx))) {
        throw new InputError(
          "E_ARGS",
          `--similar-items ${id}: expected an item id the model was trained on (column ${labels.sourceColumn}); found no such item, so it has no vector to compare (cold start)`,
        );
      }
      return idx;
    }),
  );
  const lists = await found.stage.similarItems(items, k, ctx);
  const name = labels.sourceColumn;
  const out: ModelRecommendations = { userCol: name, itemCol: similarColumnName(name), scoreCol: "score", users: [] };
  for (let q = 0; q < lists.items.length; q++) {
    const similar = [];
    for (let j = 0; j < lists.counts[q]; j++) similar.push({ item: labels.original(lists.similar[q * lists.k + j]), rating: lists.scores[q * lists.k + j] });
    out.users.push({ user: labels.original(lists.items[q]), items: similar });
  }
  return out;
}

/**
 * `recommend: {similarItems: k}` in a run: the k most similar items of every item the model knows, flat, as
 * similar-items.parquet holds them: `<item col>, rank, similar<Item col>, score`, original ids.
 */
export async function similarItemsTable(model: PipelineModel, k: number, ctx: RunContext): Promise<{ table: Table; items: number }> {
  const found = similarItemsStage(model, "recommend.similarItems");
  const labels = new IdLabels(model, found.itemCol);
  const items = found.knownItems ?? new Int32Array(0);
  const lists = await found.stage.similarItems(items, k, ctx);
  return { table: flatSimilar(lists, labels), items: items.length };
}

function flatSimilar(l: SimilarItemLists, labels: IdLabels): Table {
  let n = 0;
  for (let q = 0; q < l.items.length; q++) n += l.counts[q];
  const keys = new Int32Array(n);
  const similar = new Int32Array(n);
  const rank = new Int32Array(n);
  const score = new Float32Array(n);
  for (let q = 0, o = 0; q < l.items.length; q++) {
    for (let j = 0; j < l.counts[q]; j++, o++) {
      keys[o] = l.items[q];
      similar[o] = l.similar[q * l.k + j];
      rank[o] = j + 1;
      score[o] = l.scores[q * l.k + j];
    }
  }
  const name = labels.sourceColumn;
  return new Table({
    [name]: originalIdColumn(keys, labels),
    rank: makeVector(rank),
    [similarColumnName(name)]: originalIdColumn(similar, labels),
    score: makeVector(score),
  });
}
