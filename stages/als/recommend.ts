/**
 * ALSModel's scoring hot paths: top-k recommendation for every query row (recommendForAllUsers/Items and the subset
 * variants) and pairwise prediction (transform). Scores are float32 dot products accumulated in increasing
 * dimension, like ALSModel's predict UDF; recommendation lists are sorted by score descending with ties to the
 * larger id, like Spark's recommendForAllUsers (its TopByKeyAggregator / collect_top_k ordering).
 */
import { InputError } from "../../src/core/errors.js";
import { planTopKLayout, prepareQueries, prepareTargets, topKViews } from "../../src/kernels/top-k-dot.js";
import { createTopKMemory, runTopKRange, sharedBuffer, topKWasmModule, type TopKEngine, type TopKShared } from "../../src/kernels/top-k-dot-wasm.js";
import { runTopKOnWorkers } from "../../src/workers/topk-pool.js";
import { makeIdLookup } from "../../src/kernels/id-lookup.js";

/** One side's factors: row i is factors[i*rank .. (i+1)*rank) for ids[i] (unpadded, row-major). */
export interface FactorSet {
  ids: Int32Array;
  factors: Float32Array;
  rank: number;
}

/** Row q lists counts[q] targets for queryIds[q] in ids/scores[q*num ..], best first; the rest is -1 / NaN. */
export interface TopK {
  queryIds: Int32Array;
  ids: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
}

export interface RecommendOptions {
  workers: number;
  /** Seen (query id, target id) pairs never to recommend ("excludeSeen"); unknown ids are ignored. */
  exclude?: { queryIds: Int32Array; targetIds: Int32Array };
  engine?: TopKEngine;
}

function checkFactorSet(name: string, s: FactorSet): void {
  if (s.factors.length !== s.ids.length * s.rank) {
    throw new Error(`${name} factors hold ${s.factors.length} floats; expected ids (${s.ids.length}) x rank (${s.rank})`);
  }
}

/** Target row order by id ascending, so "larger target index" in the kernels means "larger id". */
function orderById(ids: Int32Array): Int32Array {
  const order = new Int32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] < ids[i - 1]) return order.sort((a, b) => ids[a] - ids[b] || a - b);
  }
  return order;
}

/** CSR over query rows of the excluded target positions (in id order), rows sorted for binary search. */
function buildExclusion(
  query: FactorSet,
  targetIds: Int32Array,
  order: Int32Array,
  exclude: { queryIds: Int32Array; targetIds: Int32Array },
): { indptr: Int32Array; indices: Int32Array } {
  if (exclude.queryIds.length !== exclude.targetIds.length) {
    throw new InputError(
      "E_DATA",
      `exclude: ${exclude.queryIds.length} query ids but ${exclude.targetIds.length} target ids; expected one of each per seen pair`,
    );
  }
  const queryRow = makeIdLookup(query.ids);
  const targetRow = makeIdLookup(targetIds);
  const position = new Int32Array(order.length);
  for (let p = 0; p < order.length; p++) position[order[p]] = p;
  const n = exclude.queryIds.length;
  const rowOf = new Int32Array(n);
  const posOf = new Int32Array(n);
  const indptr = new Int32Array(query.ids.length + 1);
  for (let i = 0; i < n; i++) {
    const r = queryRow(exclude.queryIds[i]);
    const t = targetRow(exclude.targetIds[i]);
    rowOf[i] = t < 0 ? -1 : r;
    posOf[i] = t < 0 ? -1 : position[t];
    if (rowOf[i] >= 0) indptr[r + 1]++;
  }
  for (let r = 0; r < query.ids.length; r++) indptr[r + 1] += indptr[r];
  const indices = new Int32Array(indptr[query.ids.length]);
  const cursor = indptr.slice(0, query.ids.length);
  for (let i = 0; i < n; i++) if (rowOf[i] >= 0) indices[cursor[rowOf[i]]++] = posOf[i];
  for (let r = 0; r < query.ids.length; r++) indices.subarray(indptr[r], indptr[r + 1]).sort();
  return { indptr, indices };
}

/** Top `num` targets for every query row, on `opts.workers` threads (identical results for any count). */
export async function recommendTopK(query: FactorSet, target: FactorSet, num: number, opts: RecommendOptions): Promise<TopK> {
  if (!Number.isInteger(num) || num < 1) throw new InputError("E_SPEC", `number of recommendations must be an integer >= 1; got ${num}`);
  checkFactorSet("query", query);
  checkFactorSet("target", target);
  if (query.rank !== target.rank) throw new Error(`query rank ${query.rank} differs from target rank ${target.rank}`);
  const engine = opts.engine ?? "wasm";
  const workers = Math.max(1, Math.min(Math.floor(opts.workers), Math.max(1, query.ids.length)));
  const rank = query.rank;
  const nQueries = query.ids.length;
  const nTargets = target.ids.length;

  const order = orderById(target.ids);
  const exclusion = opts.exclude ? buildExclusion(query, target.ids, order, opts.exclude) : null;
  const layout = planTopKLayout({ nQueries, nTargets, rank, num, exclusionNnz: exclusion ? exclusion.indices.length : -1, workers });

  let shared: TopKShared;
  if (engine === "wasm") shared = { engine, memory: createTopKMemory(layout.totalBytes), module: topKWasmModule() };
  else shared = { engine, buffer: workers > 1 ? new SharedArrayBuffer(layout.totalBytes) : new ArrayBuffer(layout.totalBytes) };
  const views = topKViews(sharedBuffer(shared), layout);
  prepareQueries(query.factors, views, layout);
  prepareTargets(target.factors, views, layout, order);
  if (exclusion && views.exclIndptr && views.exclIndices) {
    views.exclIndptr.set(exclusion.indptr);
    views.exclIndices.set(exclusion.indices);
  }

  if (workers <= 1) runTopKRange(shared, layout, 0, nQueries, 0);
  else await runTopKOnWorkers(shared, layout, workers);

  const ids = new Int32Array(nQueries * num);
  const scores = new Float32Array(views.outScores);
  const counts = new Int32Array(nQueries);
  const outIdx = views.outIdx;
  for (let q = 0; q < nQueries; q++) {
    let c = 0;
    for (let j = 0; j < num; j++) {
      const p = outIdx[q * num + j];
      if (p >= 0) {
        ids[q * num + j] = target.ids[order[p]];
        c++;
      } else ids[q * num + j] = -1;
    }
    counts[q] = c;
  }
  return { queryIds: Int32Array.from(query.ids), ids, scores, counts };
}

/** Predictions for (users[i], items[i]) pairs: float32 dot accumulated in order, NaN when either id is unknown. */
export function predictPairs(user: FactorSet, item: FactorSet, users: Int32Array, items: Int32Array): Float32Array {
  if (users.length !== items.length) throw new Error(`predictPairs: ${users.length} users but ${items.length} items`);
  if (user.rank !== item.rank) throw new Error(`user rank ${user.rank} differs from item rank ${item.rank}`);
  checkFactorSet("user", user);
  checkFactorSet("item", item);
  const rank = user.rank;
  const userRow = makeIdLookup(user.ids);
  const itemRow = makeIdLookup(item.ids);
  const n = users.length;
  const out = new Float32Array(n);
  // Hoisted into locals: read through the FactorSet objects inside the loop, 20M predictions took 150-200 ns each.
  const uf = user.factors;
  const vf = item.factors;
  const f = Math.fround;
  const one = (u: number, v: number): number => {
    if (u < 0 || v < 0) return NaN;
    const a = u * rank;
    const b = v * rank;
    let dot = 0;
    for (let d = 0; d < rank; d++) dot = f(dot + f(uf[a + d] * vf[b + d]));
    return dot;
  };
  // Four pairs at a time: each dot is a chain of dependent float32 adds, so interleaving four independent chains
  // keeps the CPU busy while each waits (about 2x on 20M pairs). Every dot still adds its products in order.
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const u0 = userRow(users[i]),
      u1 = userRow(users[i + 1]),
      u2 = userRow(users[i + 2]),
      u3 = userRow(users[i + 3]);
    const v0 = itemRow(items[i]),
      v1 = itemRow(items[i + 1]),
      v2 = itemRow(items[i + 2]),
      v3 = itemRow(items[i + 3]);
    if ((u0 | u1 | u2 | u3 | v0 | v1 | v2 | v3) < 0) {
      out[i] = one(u0, v0);
      out[i + 1] = one(u1, v1);
      out[i + 2] = one(u2, v2);
      out[i + 3] = one(u3, v3);
      continue;
    }
    const a0 = u0 * rank,
      a1 = u1 * rank,
      a2 = u2 * rank,
      a3 = u3 * rank;
    const b0 = v0 * rank,
      b1 = v1 * rank,
      b2 = v2 * rank,
      b3 = v3 * rank;
    let d0 = 0,
      d1 = 0,
      d2 = 0,
      d3 = 0;
    for (let d = 0; d < rank; d++) {
      d0 = f(d0 + f(uf[a0 + d] * vf[b0 + d]));
      d1 = f(d1 + f(uf[a1 + d] * vf[b1 + d]));
      d2 = f(d2 + f(uf[a2 + d] * vf[b2 + d]));
      d3 = f(d3 + f(uf[a3 + d] * vf[b3 + d]));
    }
    out[i] = d0;
    out[i + 1] = d1;
    out[i + 2] = d2;
    out[i + 3] = d3;
  }
  for (; i < n; i++) out[i] = one(userRow(users[i]), itemRow(items[i]));
  return out;
}
