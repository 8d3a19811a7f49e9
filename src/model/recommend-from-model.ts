import { Table } from "apache-arrow";
import { InputError } from "../core/errors.js";
import type { RunContext } from "../core/run-context.js";
import type { FittedStage } from "../core/stage.js";
import { float64Column } from "../core/table.js";
import { readTable } from "../io/read-table.js";
import { IdLabels } from "./id-labels.js";
import { requestedUsers } from "./requested-users.js";
import type { LoadedModel } from "./load-model.js";
import type { AttributeValue } from "./item-attributes.js";

export interface ModelRecommendations {
  userCol: string;
  itemCol: string;
  /** Name of the score column (default "rating"; similar items: "score"). */
  scoreCol?: string;
  /** Attribute columns of the key (`users[].attributes`) and of each listed entry (`items[].attributes`), e.g. titles. */
  keyAttributes?: string[];
  valueAttributes?: string[];
  /** One entry per requested user, in request order (or id order for all users). */
  users: { user: string | number; attributes?: AttributeValue[]; items: { item: string | number; rating: number; attributes?: AttributeValue[] }[] }[];
}

/** Top users per item (Spark's recommendForItemSubset), ids as in the data. */
export interface ModelItemRecommendations {
  itemCol: string;
  userCol: string;
  /** Attribute columns of each item (`items[].attributes`), e.g. its title. */
  itemAttributes?: string[];
  items: { item: string | number; attributes?: AttributeValue[]; users: { user: string | number; rating: number }[] }[];
}

/**
 * Top-k users for items from a saved model for `recpipe recommend --item`: the same kernel as for users, with the
 * factor roles swapped. An item the model does not know is an error that says what cold start means here.
 */
export async function recommendItemsFromModel(
  loaded: LoadedModel,
  opts: { items: "all" | string[]; k: number; excludeSeenFile?: string },
  ctx: RunContext,
): Promise<ModelItemRecommendations> {
  const rec = loaded.model.recommender();
  if (!rec)
    throw new InputError("E_MODEL", `${loaded.dir}: the model (${loaded.saved.className}) cannot rank: it has no recommender stage such as an ALSModel`);
  if (!rec.recommendForItems)
    throw new InputError("E_MODEL", `${loaded.dir}: the model's recommender (${rec.type}) cannot rank users for an item; --item needs an ALSModel`);
  const userIds = new IdLabels(loaded.model, rec.userCol);
  const itemIds = new IdLabels(loaded.model, rec.itemCol);
  let items: Int32Array;
  if (opts.items === "all") items = rec.knownItems();
  else {
    const known = new Set(rec.knownItems());
    items = Int32Array.from(
      opts.items.map((i) => {
        const idx = itemIds.toIndex(i);
        if (idx === undefined || !known.has(idx)) {
          throw new InputError(
            "E_ARGS",
            `--item ${i}: the model does not know this item (no ratings in its training data). ALS has no factors for unseen items (cold start): Spark returns no row for them in recommendForItemSubset`,
          );
        }
        return idx;
      }),
    );
  }
  const exclude = opts.excludeSeenFile
    ? await seenPairs(loaded, rec as FittedStage & { userCol: string; itemCol: string }, opts.excludeSeenFile, ctx)
    : undefined;
  const lists = await rec.recommendForItems(items, opts.k, ctx, exclude);
  const out: ModelItemRecommendations = { itemCol: itemIds.sourceColumn, userCol: userIds.sourceColumn, items: [] };
  for (let q = 0; q < lists.items.length; q++) {
    const users = [];
    for (let j = 0; j < lists.counts[q]; j++) users.push({ user: userIds.original(lists.users[q * lists.k + j]), rating: lists.scores[q * lists.k + j] });
    out.items.push({ item: itemIds.original(lists.items[q]), users });
  }
  return out;
}

async function seenPairs(
  loaded: LoadedModel,
  rec: FittedStage & { userCol: string; itemCol: string },
  file: string,
  ctx: RunContext,
): Promise<{ users: Int32Array; items: Int32Array }> {
  const seen = await readTable(file, {});
  const before = await loaded.model.transformBefore(seen, ctx, rec);
  return { users: toInt(before, rec.userCol, file), items: toInt(before, rec.itemCol, file) };
}

/**
 * Top-k from a saved model for `recpipe recommend`. Ids are the data's own (through the pipeline's string indexers);
 * users the model does not know follow the same rule as a run's `recommend.users` (requestedUsers).
 */
export async function recommendFromModel(
  loaded: LoadedModel,
  opts: { users: "all" | string[]; k: number; excludeSeenFile?: string },
  ctx: RunContext,
): Promise<ModelRecommendations> {
  const rec = loaded.model.recommender();
  if (!rec)
    throw new InputError("E_MODEL", `${loaded.dir}: the model (${loaded.saved.className}) cannot rank items: it has no recommender stage such as an ALSModel`);
  const userIds = new IdLabels(loaded.model, rec.userCol);
  const itemIds = new IdLabels(loaded.model, rec.itemCol);
  let users: Int32Array;
  if (opts.users === "all") users = rec.knownUsers();
  else users = requestedUsers(rec, userIds, opts.users, "--user", ctx.warn);
  const exclude = opts.excludeSeenFile
    ? await seenPairs(loaded, rec as FittedStage & { userCol: string; itemCol: string }, opts.excludeSeenFile, ctx)
    : undefined;
  const lists = await rec.recommendForUsers(users, opts.k, ctx, exclude);
  const out: ModelRecommendations = { userCol: userIds.sourceColumn, itemCol: itemIds.sourceColumn, users: [] };
  for (let u = 0; u < lists.users.length; u++) {
    const items = [];
    for (let j = 0; j < lists.counts[u]; j++) items.push({ item: itemIds.original(lists.items[u * lists.k + j]), rating: lists.scores[u * lists.k + j] });
    out.users.push({ user: userIds.original(lists.users[u]), items });
  }
  return out;
}

function toInt(t: Table, col: string, file: string): Int32Array {
  return Int32Array.from(float64Column(t, col, `--exclude-seen ${file}`));
}
