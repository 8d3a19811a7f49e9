import { InputError } from "../../core/errors.js";
import type { RunContext } from "../../core/run-context.js";
import type { FittedStage, ItemRecommendationLists, RecommendationLists } from "../../core/stage.js";
import { FEW_USERS, seenPairs, seenPairsOfUsers, type SeenPairs } from "../../core/seen-pairs.js";
import { IdLabels } from "../../model/id-labels.js";
import { requestedUsers } from "../../model/requested-users.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import { recommendationsTable, type RecommendationsTable } from "../../model/recommendations-table.js";
import { selectLists, type SharedTopK } from "./shared-top-k.js";
import type { PipelineSpec } from "../../spec/spec.js";
import type { Table } from "apache-arrow";

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
  if (!rec)
    throw new InputError(
      "E_SPEC",
      `recommend: the pipeline's last model (${model.stages.at(-1)?.type ?? "none"}) cannot rank items; use a recommender such as als`,
    );
  const userIds = new IdLabels(model, rec.userCol);
  const itemIds = new IdLabels(model, rec.itemCol);
  // Built only when a direction needs them (shared lists already exclude them), once for both directions.
  let seen: SeenPairs | undefined;
  const exclude = async () =>
    spec.excludeSeen ? (seen ??= seenPairs(await model.transformBefore(train, ctx, rec as FittedStage), rec, "recommend")) : undefined;
  // A few users' own pairs (the report's sample of five): picked out of the rows, not a CSR over every user's.
  const excludeFor = async (users: Int32Array) =>
    spec.excludeSeen ? (seen ?? seenPairsOfUsers(await model.transformBefore(train, ctx, rec as FittedStage), rec, users, "recommend")) : undefined;
  const lists: { users?: RecommendationLists; items?: ItemRecommendationLists } = {};
  const requested = { users: 0, items: 0 };
  const wantUsers = spec.users ?? (spec.items === undefined && spec.similarItems === undefined ? "all" : undefined);
  if (wantUsers !== undefined) {
    const users = wantUsers === "all" ? rec.knownUsers() : requestedUsers(rec, userIds, wantUsers, "recommend.users", ctx.warn);
    // The lists evaluation already computed (same model, seen items excluded, a k at least as large) are reused.
    lists.users =
      shared && shared.recommender === rec && spec.excludeSeen
        ? selectLists(shared.lists, users, spec.k)
        : await rec.recommendForUsers(users, spec.k, ctx, wantUsers !== "all" && users.length <= FEW_USERS ? await excludeFor(users) : await exclude());
    requested.users = users.length;
  }
  if (spec.items !== undefined) {
    if (!rec.recommendForItems)
      throw new InputError("E_SPEC", `recommend.items: the pipeline's recommender (${rec.type}) cannot rank users for an item; use als`);
    const items = spec.items === "all" ? rec.knownItems() : knownIds(spec.items, itemIds, "item", ctx);
    lists.items = await rec.recommendForItems(items, spec.k, ctx, await exclude());
    requested.items = items.length;
  }
  return recommendationsTable(model, lists, requested, spec.k);
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
