import { InputError } from "../core/errors.js";
import type { Recommender } from "../core/stage.js";
import type { IdLabels } from "./id-labels.js";

/**
 * The one rule for users asked for by id, whether from a run's `recommend.users` or `recpipe recommend --user`: a user
 * the model has no factors for (not in the training data) gets no recommendations and a warning that says why, as
 * Spark's recommendForUserSubset returns no row for it; when none of the requested users is known there is nothing to
 * recommend, and that is an input error naming `where`.
 */
export function requestedUsers(
  rec: Recommender,
  userIds: IdLabels,
  requested: readonly (string | number)[],
  where: string,
  warn: (m: string) => void,
): Int32Array {
  const known = new Set(rec.knownUsers());
  const out: number[] = [];
  const unknown: (string | number)[] = [];
  for (const u of requested) {
    const idx = userIds.toIndex(u);
    if (idx === undefined || !known.has(idx)) unknown.push(u);
    else out.push(idx);
  }
  const why =
    "the model has no factors for a user it never saw in training (cold start; Spark's recommendForUserSubset returns no row for one either); recommend popular items to them instead, or refit with their ratings";
  if (out.length === 0) {
    const who = unknown.length === 1 ? `user ${JSON.stringify(unknown[0])} is not` : `none of the users ${unknown.map((u) => JSON.stringify(u)).join(", ")} is`;
    throw new InputError("E_ARGS", `${where}: ${who} in the model's training data, so there is nothing to recommend: ${why}`);
  }
  for (const u of unknown) warn(`${where}: user ${JSON.stringify(u)} is not in the model's training data, so it gets no recommendations: ${why}`);
  return Int32Array.from(out);
}
