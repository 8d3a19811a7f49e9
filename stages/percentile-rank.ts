/**
 * ranking-evaluator's expectedPercentileRank: every test user's full ranked list (all items the model knows, less the
 * ones the user rated in training, as the other ranking metrics exclude them) scored against the user's test pairs,
 * weighted by their rating. Lists are computed for batches of users into typed arrays, never one JS array per user.
 */
import type { Table } from "apache-arrow";
import { InputError } from "../src/core/errors.js";
import { idColumn } from "../src/core/id-column.js";
import type { RunContext } from "../src/core/run-context.js";
import { seenPairs } from "../src/core/seen-pairs.js";
import type { Recommender } from "../src/core/stage.js";
import { float64Column, requireNumeric } from "../src/core/table.js";
import { denseIds } from "../src/kernels/dense-ids.js";
import { sumPercentileRanks, type WeightedTestPairs } from "../src/kernels/expected-percentile-rank.js";

/** Scores held per batch: users x items floats (and as many ids), about 64 MB at this many. */
const BATCH_ENTRIES = 8_000_000;

export async function expectedPercentileRank(
  rec: Recommender,
  test: Table,
  train: Table | undefined,
  p: { labelCol: string; relevanceThreshold?: number },
  where: string,
  ctx: RunContext,
): Promise<number> {
  const { users, pairs } = weightedTestPairs(test, rec, p, where);
  let total = 0;
  for (let i = 0; i < pairs.weights.length; i++) total += pairs.weights[i];
  if (users.length === 0 || !(total > 0)) {
    ctx.warn(`${where}: no test pair with a positive ${p.labelCol}; expectedPercentileRank is NaN`);
    return NaN;
  }
  const nItems = rec.knownItems().length;
  if (nItems === 0) return NaN;
  const exclude = train ? seenPairs(train, rec, where) : undefined;
  const batch = Math.max(1, Math.floor(BATCH_ENTRIES / nItems));
  let sum = 0;
  for (let q0 = 0; q0 < users.length; q0 += batch) {
    const q1 = Math.min(users.length, q0 + batch);
    const lists = await rec.recommendForUsers(users.subarray(q0, q1), nItems, ctx, exclude);
    // Recommenders may leave out users they do not know: lists are matched back by user id.
    const rowOfUser = new Map<number, number>();
    lists.users.forEach((u, r) => rowOfUser.set(u, r));
    const rowOf = Int32Array.from(users.subarray(q0, q1), (u) => rowOfUser.get(u) ?? -1);
    sum += sumPercentileRanks(lists, pairs, q0, q1, rowOf);
  }
  return sum / total;
}

/**
 * Test pairs per user (users ascending), items ascending within a user, weighted by labelCol: every valid pair, or
 * only those with labelCol >= relevanceThreshold. A negative weight would reward ranking an item low: refused.
 */
function weightedTestPairs(
  test: Table,
  rec: Recommender,
  p: { labelCol: string; relevanceThreshold?: number },
  where: string,
): { users: Int32Array; pairs: WeightedTestPairs } {
  const u = idColumn(test, rec.userCol, `${where} (test rows, the model's userCol)`);
  const it = idColumn(test, rec.itemCol, `${where} (test rows, the model's itemCol)`);
  requireNumeric(test.schema, p.labelCol, `${where}.labelCol`);
  const r = float64Column(test, p.labelCol, where);
  const keep: number[] = [];
  for (let i = 0; i < r.length; i++) {
    if (!u.valid[i] || !it.valid[i] || Number.isNaN(r[i])) continue;
    if (p.relevanceThreshold !== undefined && r[i] < p.relevanceThreshold) continue;
    if (r[i] < 0)
      throw new InputError(
        "E_DATA",
        `${where}: expectedPercentileRank weights each test pair by ${p.labelCol}; expected values >= 0, found ${r[i]} in test row ${i}`,
      );
    keep.push(i);
  }
  const rowsUsers = Int32Array.from(keep, (i) => u.ids[i]);
  const { uniq, index } = denseIds(rowsUsers);
  const ptr = new Int32Array(uniq.length + 1);
  for (let j = 0; j < index.length; j++) ptr[index[j] + 1]++;
  for (let q = 0; q < uniq.length; q++) ptr[q + 1] += ptr[q];
  const order = new Int32Array(keep.length);
  const fill = ptr.slice(0, uniq.length);
  for (let j = 0; j < index.length; j++) order[fill[index[j]]++] = keep[j];
  const items = new Int32Array(keep.length);
  const weights = new Float64Array(keep.length);
  for (let q = 0; q < uniq.length; q++) {
    const seg = Array.from(order.subarray(ptr[q], ptr[q + 1])).sort((a, b) => it.ids[a] - it.ids[b] || a - b);
    seg.forEach((row, j) => {
      items[ptr[q] + j] = it.ids[row];
      weights[ptr[q] + j] = r[row];
    });
  }
  return { users: uniq, pairs: { ptr, items, weights } };
}
