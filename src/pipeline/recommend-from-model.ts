import { Table } from "apache-arrow";
import { InputError } from "../core/errors.js";
import type { RunContext } from "../core/run-context.js";
import type { FittedStage } from "../core/stage.js";
import { float64Column } from "../core/table.js";
import { readTable } from "../io/read-table.js";
import { IdLabels } from "./id-labels.js";
import type { LoadedModel } from "./load-model.js";

export interface ModelRecommendations {
  userCol: string;
  itemCol: string;
  /** One entry per requested user, in request order (or id order for all users). */
  users: { user: string | number; items: { item: string | number; rating: number }[] }[];
}

/**
 * Top-k from a saved model for `recpipe recommend`. Ids are the data's own (through the pipeline's string indexers);
 * a user the model does not know is an error that says what cold start means here.
 */
export async function recommendFromModel(
  loaded: LoadedModel,
  opts: { users: "all" | string[]; k: number; excludeSeenFile?: string },
  ctx: RunContext,
): Promise<ModelRecommendations> {
  const rec = loaded.model.recommender();
  if (!rec) throw new InputError("E_MODEL", `${loaded.dir}: the model (${loaded.saved.className}) cannot rank items: it has no recommender stage such as an ALSModel`);
  const userIds = new IdLabels(loaded.model, rec.userCol);
  const itemIds = new IdLabels(loaded.model, rec.itemCol);
  let users: Int32Array;
  if (opts.users === "all") users = rec.knownUsers();
  else {
    const known = new Set(rec.knownUsers());
    users = Int32Array.from(
      opts.users.map((u) => {
        const idx = userIds.toIndex(u);
        if (idx === undefined || !known.has(idx)) {
          throw new InputError(
            "E_ARGS",
            `--user ${u}: the model does not know this user (no ratings in its training data). ALS has no factors for unseen users (cold start): Spark returns no row for them in recommendForUserSubset; recommend popular items instead, or refit with this user's ratings`,
          );
        }
        return idx;
      }),
    );
  }
  let exclude: { users: Int32Array; items: Int32Array } | undefined;
  if (opts.excludeSeenFile) {
    const seen = await readTable(opts.excludeSeenFile, {});
    const before = await loaded.model.transformBefore(seen, ctx, rec as FittedStage);
    exclude = { users: toInt(before, rec.userCol, opts.excludeSeenFile), items: toInt(before, rec.itemCol, opts.excludeSeenFile) };
  }
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
