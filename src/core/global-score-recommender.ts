import { makeIdLookup, type IdLookup } from "../kernels/id-lookup.js";
import { globalItemOrder, topKGlobal } from "../kernels/top-k-global.js";
import type { RecommendationLists, Recommender } from "./stage.js";

/**
 * A Recommender whose score is userOffset[u] + itemScore[i]: every user ranks items the same way, so top-k is one
 * walk down a global order (popularity and bias baselines). Unknown users get an empty list, per the interface.
 */
export function globalScoreRecommender(opts: {
  userCol: string;
  itemCol: string;
  /** Known user ids, ascending, and their score offsets (may be zeros). */
  userIds: Int32Array;
  userOffsets: Float64Array;
  /** Known item ids, ascending, and their scores. */
  itemIds: Int32Array;
  itemScores: Float64Array;
}): Recommender {
  const order = globalItemOrder(opts.itemScores);
  // O(1) id -> dense index (a table over the id range): excluding 20M seen pairs must not cost 40M binary searches.
  const userRow = makeIdLookup(opts.userIds);
  const itemRow = makeIdLookup(opts.itemIds);
  return {
    userCol: opts.userCol,
    itemCol: opts.itemCol,
    knownUsers: () => opts.userIds.slice(),
    knownItems: () => opts.itemIds.slice(),
    async recommendForUsers(users, k, _ctx, exclude): Promise<RecommendationLists> {
      const queries = new Int32Array(users.length);
      for (let q = 0; q < users.length; q++) queries[q] = userRow(users[q]);
      let excludePtr: Int32Array | undefined;
      let excludeItems: Int32Array | undefined;
      if (exclude) ({ excludePtr, excludeItems } = excludedFor(exclude, opts.userIds, opts.itemIds, userRow, itemRow));
      const dense = new Int32Array(users.length * k);
      const counts = new Int32Array(users.length);
      topKGlobal(order, queries, k, excludePtr, excludeItems, dense, counts);
      const items = new Int32Array(dense.length).fill(-1);
      const scores = new Float32Array(dense.length);
      for (let q = 0; q < users.length; q++) {
        for (let j = 0; j < counts[q]; j++) {
          const d = dense[q * k + j];
          items[q * k + j] = opts.itemIds[d];
          scores[q * k + j] = opts.userOffsets[queries[q]] + opts.itemScores[d];
        }
      }
      return { users: users.slice(), items, scores, counts, k };
    },
  };
}

type Exclusion = { excludePtr: Int32Array; excludeItems: Int32Array };

/**
 * Per seen-pairs object (seen-pairs.ts hands every stage the same one for a training table): the CSRs built from it,
 * with the id arrays they index. Baselines fitted on one table know the same users and items, so the second one
 * reuses the first one's CSR (on 8M seen pairs a build is ~0.35 s) instead of building the same arrays again.
 */
const built = new WeakMap<Int32Array, Array<{ items: Int32Array; userIds: Int32Array; itemIds: Int32Array; exclusion: Exclusion }>>();

function excludedFor(exclude: { users: Int32Array; items: Int32Array }, userIds: Int32Array, itemIds: Int32Array, userRow: IdLookup, itemRow: IdLookup) {
  let list = built.get(exclude.users);
  if (!list) built.set(exclude.users, (list = []));
  const same = (a: Int32Array, b: Int32Array) => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
  const hit = list.find((e) => e.items === exclude.items && same(e.userIds, userIds) && same(e.itemIds, itemIds));
  if (hit) return hit.exclusion;
  const exclusion = excludedByUser(exclude, userIds.length, userRow, itemRow);
  // The CSR is read only (topKGlobal never writes it), so sharing it cannot leak one baseline into another.
  list.push({ items: exclude.items, userIds, itemIds, exclusion });
  return exclusion;
}

/** Excluded (user, item) pairs as CSR over dense user indices; pairs with an unknown user or item are dropped. */
function excludedByUser(exclude: { users: Int32Array; items: Int32Array }, numUsers: number, userRow: IdLookup, itemRow: IdLookup) {
  const n = exclude.users.length;
  const du = new Int32Array(n);
  const di = new Int32Array(n);
  const excludePtr = new Int32Array(numUsers + 1);
  for (let j = 0; j < n; j++) {
    du[j] = userRow(exclude.users[j]);
    di[j] = itemRow(exclude.items[j]);
    if (du[j] >= 0 && di[j] >= 0) excludePtr[du[j] + 1]++;
  }
  for (let u = 0; u < numUsers; u++) excludePtr[u + 1] += excludePtr[u];
  const fill = excludePtr.slice(0, numUsers);
  const excludeItems = new Int32Array(excludePtr[numUsers]);
  for (let j = 0; j < n; j++) if (du[j] >= 0 && di[j] >= 0) excludeItems[fill[du[j]]++] = di[j];
  return { excludePtr, excludeItems };
}
