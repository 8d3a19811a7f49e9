/**
 * Stable orderings of row indices on typed arrays (no comparator sorts over rows): rank each key column once,
 * then counting-sort by the ranks. A multi-column sort is one counting pass per column, last column first (LSD).
 */

/**
 * Stable counting sort of `order` by `keys[order[i]]` (keys in [0, numKeys)); writes into `out`, which may not
 * alias `order`. O(n + numKeys).
 */
export function stableSortByKey(order: Int32Array, keys: Int32Array, numKeys: number, out: Int32Array): Int32Array {
  const starts = new Int32Array(numKeys + 1);
  for (let i = 0; i < order.length; i++) starts[keys[order[i]] + 1]++;
  for (let k = 0; k < numKeys; k++) starts[k + 1] += starts[k];
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    out[starts[keys[r]]++] = r;
  }
  return out;
}

/**
 * Dense ranks of doubles, ascending: equal values share a rank (-0 equals 0), NaN ranks above every number
 * (Spark's ordering) and invalid rows (`valid[i] == 0`, i.e. null) rank 0, below everything.
 */
export function rankFloat64(values: Float64Array, valid?: Uint8Array): { ranks: Int32Array; numRanks: number } {
  return rankFewDistinct(values, valid, 1 << 21) ?? rankBySorting(values, valid);
}

/**
 * Columns with few distinct values (ids, ratings) are ranked through a Map of the distinct values: one pass and
 * a tiny sort instead of sorting every row (5x faster at 25M rows). Map keys use SameValueZero, which gives
 * exactly the equality wanted here (-0 = 0, NaN = NaN). Undefined when there are more than `limit` values.
 */
function rankFewDistinct(values: Float64Array, valid: Uint8Array | undefined, limit: number): { ranks: Int32Array; numRanks: number } | undefined {
  const seen = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    if (valid && !valid[i]) continue;
    const x = values[i];
    if (!seen.has(x)) {
      if (seen.size >= limit) return undefined;
      seen.set(x, 0);
    }
  }
  const uniq = Float64Array.from(seen.keys()).sort();
  for (let r = 0; r < uniq.length; r++) seen.set(uniq[r], r + 1);
  const ranks = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) if (!valid || valid[i]) ranks[i] = seen.get(values[i])!;
  return { ranks, numRanks: uniq.length + 1 };
}

function rankBySorting(values: Float64Array, valid?: Uint8Array): { ranks: Int32Array; numRanks: number } {
  const n = values.length;
  let m = 0;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) if (!valid || valid[i]) sorted[m++] = values[i];
  const live = sorted.subarray(0, m);
  live.sort(); // typed-array sort is numeric and puts NaN last
  let u = 0;
  for (let i = 0; i < m; i++) {
    const x = live[i];
    if (u === 0 || !(x === live[u - 1] || (x !== x && live[u - 1] !== live[u - 1]))) live[u++] = x;
  }
  const uniq = live.subarray(0, u);
  const hasNaN = u > 0 && Number.isNaN(uniq[u - 1]);
  const numeric = hasNaN ? u - 1 : u;
  const ranks = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue; // rank 0
    const x = values[i];
    if (x !== x) {
      ranks[i] = numeric + 1;
      continue;
    }
    let lo = 0;
    let hi = numeric - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (uniq[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = lo + 1;
  }
  return { ranks, numRanks: u + 1 };
}

/** Row indices 0..n-1 sorted by `keys` ascending, ties by row index. */
export function argsortFloat64(keys: Float64Array): Int32Array {
  const { ranks, numRanks } = rankFloat64(keys);
  const identity = new Int32Array(keys.length);
  for (let i = 0; i < identity.length; i++) identity[i] = i;
  return stableSortByKey(identity, ranks, numRanks, new Int32Array(keys.length));
}
