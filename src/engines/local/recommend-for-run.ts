import { makeVector, Table } from "apache-arrow";
import { InputError } from "../../core/errors.js";
import type { RunContext } from "../../core/run-context.js";
import type { FittedStage, ItemRecommendationLists, RecommendationLists } from "../../core/stage.js";
import { seenPairs, type SeenPairs } from "../../core/seen-pairs.js";
import { IdLabels } from "../../model/id-labels.js";
import { originalIdColumn } from "../../model/original-id-column.js";
import { requestedUsers } from "../../model/requested-users.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import { selectLists, type SharedTopK } from "./shared-top-k.js";
import type { PipelineSpec } from "../../spec/spec.js";

export interface RecommendationsTable {
  /** Flat, one row per (user, rank): <user col>, rank (1-based), <item col>, rating; ids as the data wrote them. */
  table?: Table;
  users: number;
  k: number;
  /** With `items`: one row per (item, rank): <item col>, rank, <user col>, rating (Spark's recommendForAllItems, flat). */
  itemTable?: Table;
  items: number;
  /** With `similarItems`: one row per (item, rank): <item col>, rank, similar<Item col>, score (similar-items.parquet). */
  similarTable?: Table;
}

/**
 * Top-k for the requested users (and/or the top users for the requested items) with original ids. The tables are
 * flat (key, rank, value, rating) rather than Spark's nested `recommendations: list<struct<...>>`, because that is
 * what users turn them into next.
 */
export async function recommendForRun(
  model: PipelineModel,
  spec: NonNullable<PipelineSpec["recommend"]>,
  train: Table,
  ctx: RunContext,
  shared?: SharedTopK,
): Promise<RecommendationsTable> {
  const rec = model.recommender();
  if (!rec) throw new InputError("E_SPEC", `recommend: the pipeline's last model (${model.stages.at(-1)?.type ?? "none"}) cannot rank items; use a recommender such as als`);
  const userIds = new IdLabels(model, rec.userCol);
  const itemIds = new IdLabels(model, rec.itemCol);
  const userName = inputName(model, rec.userCol);
  const itemName = inputName(model, rec.itemCol);
  // Built only when a direction needs them (shared lists already exclude them), once for both directions.
  let seen: SeenPairs | undefined;
  const exclude = async () => (spec.excludeSeen ? (seen ??= seenPairs(await model.transformBefore(train, ctx, rec as FittedStage), rec, "recommend")) : undefined);
  const out: RecommendationsTable = { users: 0, items: 0, k: spec.k };
  const wantUsers = spec.users ?? (spec.items === undefined && spec.similarItems === undefined ? "all" : undefined);
  if (wantUsers !== undefined) {
    const users = wantUsers === "all" ? rec.knownUsers() : requestedUsers(rec, userIds, wantUsers, "recommend.users", ctx.warn);
    // The lists evaluation already computed (same model, seen items excluded, a k at least as large) are reused.
    const l = shared && shared.recommender === rec && spec.excludeSeen ? selectLists(shared.lists, users, spec.k) : await rec.recommendForUsers(users, spec.k, ctx, await exclude());
    out.table = flatten(l.users, l.items, l.scores, l.counts, l.k, userIds, itemIds, userName, itemName);
    out.users = users.length;
  }
  if (spec.items !== undefined) {
    if (!rec.recommendForItems) throw new InputError("E_SPEC", `recommend.items: the pipeline's recommender (${rec.type}) cannot rank users for an item; use als`);
    const items = spec.items === "all" ? rec.knownItems() : knownIds(spec.items, itemIds, "item", ctx);
    const l = await rec.recommendForItems(items, spec.k, ctx, await exclude());
    out.itemTable = flatten(l.items, l.users, l.scores, l.counts, l.k, itemIds, userIds, itemName, userName);
    out.items = items.length;
  }
  return out;
}

/**
 * Top-k lists computed elsewhere (the Spark Connect engine), as the flat tables with original ids. `requested` counts
 * the known users/items asked for (a user whose list came back empty still counts).
 */
export function recommendationsTable(
  model: PipelineModel,
  lists: { users?: RecommendationLists; items?: ItemRecommendationLists },
  requested: { users: number; items: number },
  k: number,
): RecommendationsTable {
  const rec = model.recommender();
  if (!rec) throw new InputError("E_SPEC", `recommend: the pipeline's last model (${model.stages.at(-1)?.type ?? "none"}) cannot rank items; use a recommender such as als`);
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

function knownIds(ids: (string | number)[], labels: IdLabels, what: "user" | "item", ctx: RunContext): Int32Array {
  const known: number[] = [];
  for (const u of ids) {
    const idx = labels.toIndex(u);
    if (idx === undefined) ctx.warn(`recommend: ${what} ${JSON.stringify(u)} is not in the training data; no recommendations (cold start)`);
    else known.push(idx);
  }
  return Int32Array.from(known);
}

function inputName(model: PipelineModel, col: string): string {
  for (const s of model.stages) {
    const named = (s as unknown as { inputColFor?: (c: string) => string | undefined }).inputColFor?.(col);
    if (named) return named;
  }
  return col;
}

function flatten(
  keys: Int32Array, values: Int32Array, scores: Float32Array, counts: Int32Array, k: number,
  keyIds: IdLabels, valueIds: IdLabels, keyName: string, valueName: string,
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
