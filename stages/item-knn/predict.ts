/**
 * item-knn's predictions for (user, item) pairs, user by user (a counting sort groups the pairs), with one dense
 * array over the items reused across users: no per-pair objects, no per-pair search over a user's row.
 *
 * - explicit: the similarity-weighted mean of the user's ratings on item i's k neighbours,
 *   sum over j in N(i) rated by u of sim(i,j) r_uj / sum of |sim(i,j)|; NaN when u rated none of N(i).
 * - implicit: the recommendation score, sum over u's items j of r_uj sim(j, i) over the lists N(j) holding i.
 * Either is NaN for a user or item the model does not know.
 */
import { makeIdLookup } from "../../src/kernels/id-lookup.js";
import type { ItemKnnState } from "./model-tables.js";

export function predictPairs(s: ItemKnnState, users: Int32Array, items: Int32Array, implicit: boolean): Float32Array {
  const n = users.length;
  const out = new Float32Array(n).fill(NaN);
  const userRow = makeIdLookup(s.userIds);
  const itemRow = makeIdLookup(s.itemIds);
  const { nUsers, nItems, rowPtr, rowItems, rowRatings } = s.rows;
  const { k, idx, sims, counts } = s.neighbours;
  const pairUser = new Int32Array(n);
  const pairItem = new Int32Array(n);
  const start = new Int32Array(nUsers + 1);
  for (let e = 0; e < n; e++) {
    pairUser[e] = userRow(users[e]);
    pairItem[e] = pairUser[e] >= 0 ? itemRow(items[e]) : -1;
    if (pairItem[e] >= 0) start[pairUser[e] + 1]++;
  }
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  const order = new Int32Array(start[nUsers]);
  const cursor = start.slice(0, nUsers);
  for (let e = 0; e < n; e++) if (pairItem[e] >= 0) order[cursor[pairUser[e]]++] = e;

  // explicit: the user's rating of each item (NaN: not rated); implicit: the score of each item
  const dense = new Float64Array(nItems).fill(implicit ? 0 : NaN);
  for (let u = 0; u < nUsers; u++) {
    if (start[u] === start[u + 1]) continue;
    for (let p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
      if (!implicit) dense[rowItems[p]] = rowRatings[p];
      else {
        const i = rowItems[p];
        for (let t = 0; t < counts[i]; t++) dense[idx[i * k + t]] += rowRatings[p] * sims[i * k + t];
      }
    }
    for (let o = start[u]; o < start[u + 1]; o++) {
      const e = order[o];
      const i = pairItem[e];
      if (implicit) {
        out[e] = dense[i];
        continue;
      }
      let num = 0;
      let den = 0;
      for (let t = 0; t < counts[i]; t++) {
        const r = dense[idx[i * k + t]];
        if (r !== r) continue;
        const sim = sims[i * k + t];
        num += sim * r;
        den += Math.abs(sim);
      }
      out[e] = den > 0 ? num / den : NaN;
    }
    // reset only what this user touched
    for (let p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
      if (!implicit) dense[rowItems[p]] = NaN;
      else {
        const i = rowItems[p];
        for (let t = 0; t < counts[i]; t++) dense[idx[i * k + t]] = 0;
      }
    }
  }
  return out;
}
