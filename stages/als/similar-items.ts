/**
 * Similar items from ALS item factors: cosine similarity, as benfred/implicit's `similar_items` defines it
 * (implicit/cpu/matrix_factorization_base.py: dot products over the product of the two norms, a zero norm replaced
 * by 1e-10 so a zero vector scores 0). The factors are L2-normalised once, so cosine is a plain dot product. For every
 * item at once, the symmetric int16-screened kernel does the work (similar-items-every.ts); for a few items, the
 * exact top-k kernel of recommendations (on normalised factors its norm bound only skips zero vectors). Both give
 * the same lists and scores, bit for bit. Each item's own pair is excluded, so an item is never its own neighbour;
 * ties go to the larger id, as in recommendations.
 */
import type { RunContext } from "../../src/core/run-context.js";
import type { SimilarItemLists } from "../../src/core/similar-items.js";
import { recommendTopK, type FactorSet } from "./recommend.js";
import { similarForEveryItem } from "./similar-items-every.js";

/** Row-wise L2-normalised copy of a factor set (norms in f64; a zero row stays zero, as implicit's 1e-10 norm gives). */
export function normalisedFactors(f: FactorSet): FactorSet {
  const out = new Float32Array(f.factors.length);
  const r = f.rank;
  for (let i = 0; i < f.ids.length; i++) {
    let s = 0;
    for (let d = 0; d < r; d++) s += f.factors[i * r + d] * f.factors[i * r + d];
    const norm = Math.sqrt(s);
    if (norm === 0) continue;
    for (let d = 0; d < r; d++) out[i * r + d] = f.factors[i * r + d] / norm;
  }
  return { ids: f.ids, factors: out, rank: r };
}

/**
 * The `k` items most similar to each of `items` by cosine of their factors, one row per requested item in request
 * order; an item without factors gets an empty row. `cache` keeps the normalised factors across calls on one model.
 */
export async function similarItemsByCosine(
  itemFactors: FactorSet,
  items: Int32Array,
  k: number,
  ctx: RunContext,
  cache: { normalised?: FactorSet },
): Promise<SimilarItemLists> {
  const all = (cache.normalised ??= normalisedFactors(itemFactors));
  const row = new Map<number, number>();
  all.ids.forEach((id, i) => row.set(id, i));
  const known = [...new Set(Array.from(items).filter((id) => row.has(id)))];
  const queryIds = known.length === all.ids.length && known.every((id, i) => id === all.ids[i]) ? all.ids : Int32Array.from(known);
  let query: FactorSet = all;
  if (queryIds !== all.ids) {
    const f = new Float32Array(queryIds.length * all.rank);
    queryIds.forEach((id, i) => f.set(all.factors.subarray(row.get(id)! * all.rank, (row.get(id)! + 1) * all.rank), i * all.rank));
    query = { ids: queryIds, factors: f, rank: all.rank };
  }
  const out: SimilarItemLists = {
    items: Int32Array.from(items),
    similar: new Int32Array(items.length * k).fill(-1),
    scores: new Float32Array(items.length * k).fill(NaN),
    counts: new Int32Array(items.length),
    k,
  };
  if (queryIds.length === 0) return out;
  // The item itself is the one excluded pair per query (its cosine with itself is 1, always first otherwise).
  // Every item asked for: the symmetric, integer-screened kernel gives the same lists in about a quarter of the work.
  const top =
    queryIds === all.ids
      ? await similarForEveryItem(all, k, { workers: ctx.workers })
      : await recommendTopK(query, all, k, { workers: ctx.workers, exclude: { queryIds, targetIds: queryIds } });
  const topRow = new Map<number, number>();
  top.queryIds.forEach((id, r) => topRow.set(id, r));
  items.forEach((id, q) => {
    const r = topRow.get(id);
    if (r === undefined) return;
    out.similar.set(top.ids.subarray(r * k, r * k + k), q * k);
    out.scores.set(top.scores.subarray(r * k, r * k + k), q * k);
    out.counts[q] = top.counts[r];
  });
  return out;
}
