import type { Table } from "apache-arrow";
import type { RunContext } from "../../core/run-context.js";
import type { ItemAttributes } from "../../model/item-attributes.js";
import { joinIntoTables } from "./join-item-attributes.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import { recommendForRun } from "./recommend-for-run.js";
import type { RecommendationsTable } from "../../model/recommendations-table.js";
import type { SharedTopK } from "./shared-top-k.js";
import { similarItemsTable } from "../../model/similar-items-for.js";
import type { PipelineSpec } from "../../spec/spec.js";

/**
 * Everything a run's `recommend:` block writes: top items per user and/or top users per item (recommendForRun),
 * the similar items of every item (`similarItems: k`), with the `items:` attributes joined in by item id.
 */
export async function recommendOutputs(
  model: PipelineModel,
  spec: NonNullable<PipelineSpec["recommend"]>,
  train: Table,
  ctx: RunContext,
  shared: SharedTopK | undefined,
  attributes: ItemAttributes | undefined,
): Promise<RecommendationsTable> {
  const lists = spec.users !== undefined || spec.items !== undefined || spec.similarItems === undefined;
  const out = lists ? await recommendForRun(model, spec, train, ctx, shared) : { users: 0, items: 0, k: spec.k };
  if (spec.similarItems !== undefined) out.similarTable = (await similarItemsTable(model, spec.similarItems, ctx)).table;
  return attributes ? joinIntoTables(out, attributes) : out;
}
