/**
 * Expected percentile rank (Hu, Koren and Volinsky 2008; the PySpark course's ROEM): sum(r_ui * rank_ui) / sum(r_ui)
 * over test pairs, rank_ui the percentile of item i in user u's full ranked list, 0 at the top and 1 at the bottom.
 * Ties share a rank as SQL's PERCENT_RANK does: rank_ui = (items scored strictly above i) / (list length - 1), and 0
 * for a list of one item. A test item missing from the user's list (an item or user the model cannot score) counts
 * as the bottom, 1.
 *
 * Inputs are typed arrays only: full ranked lists for a batch of users (best first, as the top-k kernel writes them
 * with k = every item) and the users' test pairs in CSR form, items sorted per user.
 */
export interface RankedLists {
  /** items[q*k ..] in rank order, counts[q] valid entries; scores beside them. */
  items: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
  k: number;
}

export interface WeightedTestPairs {
  /** Test pairs of query q: items/weights[ptr[q] .. ptr[q+1]), items ascending (duplicates allowed). */
  ptr: Int32Array;
  items: Int32Array;
  weights: Float64Array;
}

/**
 * Returns sum(weight * percentile) over the test pairs of queries [q0, q1), whose ranked list is list row
 * rowOf[q - q0] (-1: the model has no list for that user, so every one of its test items is at the bottom). Each
 * list is scanned once; test items are found by binary search.
 */
export function sumPercentileRanks(lists: RankedLists, test: WeightedTestPairs, q0: number, q1: number, rowOf: Int32Array): number {
  let sum = 0;
  for (let q = q0; q < q1; q++) {
    const t0 = test.ptr[q];
    const t1 = test.ptr[q + 1];
    if (t1 === t0) continue;
    const row = rowOf[q - q0];
    const n = row < 0 ? 0 : lists.counts[row];
    const base = row < 0 ? 0 : row * lists.k;
    let found = 0;
    let foundWeight = 0;
    let tieStart = 0;
    for (let j = 0; j < n && found < t1 - t0; j++) {
      if (j > 0 && lists.scores[base + j] !== lists.scores[base + j - 1]) tieStart = j;
      let at = lowerBound(test.items, t0, t1, lists.items[base + j]);
      if (at === t1 || test.items[at] !== lists.items[base + j]) continue;
      const pct = n > 1 ? tieStart / (n - 1) : 0;
      for (; at < t1 && test.items[at] === lists.items[base + j]; at++) {
        sum += test.weights[at] * pct;
        foundWeight += test.weights[at];
        found++;
      }
    }
    // Test items the list does not hold sit at the bottom.
    if (found < t1 - t0) {
      let all = 0;
      for (let t = t0; t < t1; t++) all += test.weights[t];
      sum += all - foundWeight;
    }
  }
  return sum;
}

function lowerBound(a: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
