/**
 * Top-k for models whose item ranking is the same for every user (popularity, item bias): walk one global item
 * order and skip each user's excluded items. O(k + |excluded|) a user.
 */

/** Dense item indices by score descending, ties to the larger id (ids ascending with the dense index). */
export function globalItemOrder(scores: Float64Array): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[b] - scores[a] || b - a);
}

/**
 * For each query (a dense user index, -1 when unknown: empty list), the first `k` items of `order` not in its
 * excluded set (CSR over dense users: excludePtr/excludeItems). Writes dense item indices (-1 padding) and counts.
 */
export function topKGlobal(
  order: Int32Array,
  queries: Int32Array,
  k: number,
  excludePtr: Int32Array | undefined,
  excludeItems: Int32Array | undefined,
  outItems: Int32Array,
  outCounts: Int32Array,
): void {
  const stamp = new Int32Array(order.length).fill(-1);
  outItems.fill(-1);
  for (let q = 0; q < queries.length; q++) {
    const u = queries[q];
    if (u < 0) {
      outCounts[q] = 0;
      continue;
    }
    if (excludePtr && excludeItems) for (let j = excludePtr[u]; j < excludePtr[u + 1]; j++) stamp[excludeItems[j]] = q;
    let c = 0;
    for (let j = 0; j < order.length && c < k; j++) {
      const it = order[j];
      if (stamp[it] === q) continue;
      outItems[q * k + c++] = it;
    }
    outCounts[q] = c;
  }
}
