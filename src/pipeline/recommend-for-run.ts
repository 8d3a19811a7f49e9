import { Dictionary, Int32, makeData, makeVector, Table, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { InputError } from "../core/errors.js";
import type { RunContext } from "../core/run-context.js";
import type { FittedStage, RecommendationLists } from "../core/stage.js";
import { float64Column } from "../core/table.js";
import { IdLabels } from "./id-labels.js";
import type { PipelineModel } from "./pipeline-model.js";
import type { PipelineSpec } from "./spec.js";

export interface RecommendationsTable {
  /** Flat, one row per (user, rank): <user col>, rank (1-based), <item col>, rating; ids as the data wrote them. */
  table: Table;
  users: number;
  k: number;
}

/**
 * Top-k for the requested users with original ids. The table is flat (user, rank, item, rating) rather than Spark's
 * nested `recommendations: list<struct<item, rating>>`, because that is what users turn it into next.
 */
export async function recommendForRun(model: PipelineModel, spec: NonNullable<PipelineSpec["recommend"]>, train: Table, ctx: RunContext): Promise<RecommendationsTable> {
  const rec = model.recommender();
  if (!rec) throw new InputError("E_SPEC", `recommend: the pipeline's last model (${model.stages.at(-1)?.type ?? "none"}) cannot rank items; use a recommender such as als`);
  const userIds = new IdLabels(model, rec.userCol);
  let users: Int32Array;
  if (spec.users === "all") users = rec.knownUsers();
  else {
    const known: number[] = [];
    for (const u of spec.users) {
      const idx = userIds.toIndex(u);
      if (idx === undefined) ctx.warn(`recommend: user ${JSON.stringify(u)} is not in the training data; no recommendations (cold start)`);
      else known.push(idx);
    }
    users = Int32Array.from(known);
  }
  let exclude: { users: Int32Array; items: Int32Array } | undefined;
  if (spec.excludeSeen) {
    const seen = await model.transformBefore(train, ctx, rec as FittedStage);
    exclude = { users: Int32Array.from(float64Column(seen, rec.userCol)), items: Int32Array.from(float64Column(seen, rec.itemCol)) };
  }
  const lists = await rec.recommendForUsers(users, spec.k, ctx, exclude);
  return recommendationsTable(model, lists, users.length, spec.k);
}

/** Top-k lists (indices as the recommender sees them) as the flat table with original ids. */
export function recommendationsTable(model: PipelineModel, lists: RecommendationLists, users: number, k: number): RecommendationsTable {
  const rec = model.recommender();
  if (!rec) throw new InputError("E_SPEC", `recommend: the pipeline's last model (${model.stages.at(-1)?.type ?? "none"}) cannot rank items; use a recommender such as als`);
  const table = flatten(lists, new IdLabels(model, rec.userCol), new IdLabels(model, rec.itemCol), inputName(model, rec.userCol), inputName(model, rec.itemCol));
  return { table, users, k };
}

function inputName(model: PipelineModel, col: string): string {
  for (const s of model.stages) {
    const named = (s as unknown as { inputColFor?: (c: string) => string | undefined }).inputColFor?.(col);
    if (named) return named;
  }
  return col;
}

function flatten(l: RecommendationLists, userIds: IdLabels, itemIds: IdLabels, userName: string, itemName: string): Table {
  let n = 0;
  for (let u = 0; u < l.users.length; u++) n += l.counts[u];
  const uCodes = new Int32Array(n);
  const iCodes = new Int32Array(n);
  const rank = new Int32Array(n);
  const rating = new Float32Array(n);
  for (let u = 0, o = 0; u < l.users.length; u++) {
    for (let j = 0; j < l.counts[u]; j++, o++) {
      uCodes[o] = l.users[u];
      iCodes[o] = l.items[u * l.k + j];
      rank[o] = j + 1;
      rating[o] = l.scores[u * l.k + j];
    }
  }
  return new Table({
    [userName]: idColumn(uCodes, userIds),
    rank: makeVector(rank),
    [itemName]: idColumn(iCodes, itemIds),
    rating: makeVector(rating),
  });
}

/** Original ids as a dictionary-encoded string column sharing the indexer's labels, or the integer ids. */
function idColumn(codes: Int32Array, ids: IdLabels): Vector {
  if (!ids.indexed) return makeVector(codes);
  const labels: string[] = [];
  const remap = new Map<number, number>();
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    let c = remap.get(codes[i]);
    if (c === undefined) {
      c = labels.length;
      labels.push(String(ids.original(codes[i])));
      remap.set(codes[i], c);
    }
    out[i] = c;
  }
  const dict = vectorFromArray(labels, new Utf8());
  return makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length: out.length, nullCount: 0, data: out, dictionary: dict }));
}
