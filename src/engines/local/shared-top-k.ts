import type { Table } from "apache-arrow";
import { idColumn } from "../../core/id-column.js";
import type { RunContext } from "../../core/run-context.js";
import { seenPairs } from "../../core/seen-pairs.js";
import type { Evaluator, FittedStage, RecommendationLists, Recommender } from "../../core/stage.js";
import { IdLabels } from "../../model/id-labels.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import type { PipelineSpec } from "../../spec/spec.js";

export interface SharedTopK {
  lists: RecommendationLists;
  recommender: Recommender;
}

/**
 * When a run both scores ranking metrics and writes recommendations that exclude seen items, the model's top-k is
 * computed once: for every user either needs (the requested users and the test users), with the larger k, seen
 * training items excluded. Lists are ordered by score with ties to the larger id, a total order, so the first k
 * entries of a top-K list (K >= k) are exactly the top-k list: evaluation and recommendations read the same lists.
 * Returns undefined when the two need different lists (excludeSeen false) or one of them is absent.
 */
export async function sharedTopK(
  model: PipelineModel,
  evaluators: readonly Evaluator[],
  recommend: PipelineSpec["recommend"],
  train: Table,
  test: Table,
  ctx: RunContext,
): Promise<SharedTopK | undefined> {
  const ranking = evaluators.filter((e) => e.needsRecommender);
  const rec = model.recommender();
  // Only user lists are shared: a run that recommends users for items alone (`items` without `users`) has none.
  const requested = recommend?.users ?? (recommend?.items === undefined && recommend?.similarItems === undefined ? "all" : undefined);
  if (!recommend?.excludeSeen || requested === undefined || ranking.length === 0 || !rec) return undefined;
  const trainF = await model.transformBefore(train, ctx, rec as FittedStage);
  const testF = await model.transformBefore(test, ctx, rec as FittedStage);
  const k = Math.max(recommend.k, ...ranking.map((e) => Number(e.params.k) || 0));
  const users = queryUsers(model, rec, requested, testF);
  const lists = await rec.recommendForUsers(users, k, ctx, seenPairs(trainF, rec, "recommend"));
  return { lists, recommender: rec };
}

/** Requested users (all known, or the listed ones the model knows) plus the test users, ascending and distinct. */
function queryUsers(model: PipelineModel, rec: Recommender, requested: "all" | (string | number)[], testF: Table): Int32Array {
  const known = rec.knownUsers();
  const test = idColumn(testF, rec.userCol, "evaluate (test rows, the model's userCol)");
  const listed: number[] = [];
  if (requested !== "all") {
    const labels = new IdLabels(model, rec.userCol);
    for (const u of requested) {
      const idx = labels.toIndex(u);
      if (idx !== undefined) listed.push(idx);
    }
  }
  const base = requested === "all" ? known : Int32Array.from(listed);
  const extra: number[] = [];
  const inBase = new Set<number>(requested === "all" ? [] : listed);
  const isKnown = sortedMembership(known);
  for (let i = 0; i < test.ids.length; i++) {
    if (!test.valid[i]) continue;
    const u = test.ids[i];
    if (requested === "all" ? !isKnown(u) : !inBase.has(u)) {
      inBase.add(u);
      extra.push(u);
    }
  }
  // The common case (every test user is known, all users requested): the model's own id array, which it recognises
  // and scores without building a subset.
  if (extra.length === 0 && requested === "all") return known;
  const all = new Int32Array(base.length + extra.length);
  all.set(base);
  all.set(extra, base.length);
  all.sort();
  let m = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i];
  return all.slice(0, m);
}

/**
 * Membership in an ascending id array. Indexed ids are dense (0..n-1), so a bitmap over their range answers a test
 * row in one load; a binary search per row cost a quarter of a second over 2M test rows. Sparse ids search.
 */
function sortedMembership(sorted: Int32Array): (v: number) => boolean {
  if (sorted.length === 0) return () => false;
  const lo = sorted[0];
  const span = sorted[sorted.length - 1] - lo + 1;
  if (span > 4 * sorted.length + 1024) return (v) => containsSorted(sorted, v);
  const mark = new Uint8Array(span);
  for (let i = 0; i < sorted.length; i++) mark[sorted[i] - lo] = 1;
  return (v) => v >= lo && v - lo < span && mark[v - lo] === 1;
}

function containsSorted(sorted: Int32Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === v) return true;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The lists of `users` (in that order) cut to `k`, from lists computed for a superset with a k at least as large. */
export function selectLists(from: RecommendationLists, users: Int32Array, k: number): RecommendationLists {
  if (from.users === users && from.k === k) return from;
  const row = new Map<number, number>();
  from.users.forEach((u, r) => row.set(u, r));
  const items = new Int32Array(users.length * k).fill(-1);
  const scores = new Float32Array(users.length * k).fill(NaN);
  const counts = new Int32Array(users.length);
  for (let q = 0; q < users.length; q++) {
    const r = row.get(users[q]);
    if (r === undefined) continue;
    const c = Math.min(k, from.counts[r]);
    items.set(from.items.subarray(r * from.k, r * from.k + c), q * k);
    scores.set(from.scores.subarray(r * from.k, r * from.k + c), q * k);
    counts[q] = c;
  }
  return { users: Int32Array.from(users), items, scores, counts, k };
}
