/**
 * The rating matrix item-knn works on: user-major CSR with each row's items ascending and duplicate (user, item)
 * pairs summed (as scipy's coo -> csr does for benfred/implicit), then the weighted copy its neighbour kernel reads,
 * item-major and user-major, and the per-item norms.
 *
 * Weightings are benfred/implicit's (implicit/nearest_neighbours.py), with N the number of items and n_u the number of
 * items user u rated:
 * - none:  x[u,i] = r[u,i]; norm_i = |x_i| (CosineRecommender: cosine of the item columns);
 * - tfidf: x[u,i] = sqrt(r[u,i]) * (ln N - ln(1 + n_u)); norm_i = |x_i| (TFIDFRecommender, cosine of the weighted columns);
 * - bm25:  x[u,i] = r[u,i] (K1 + 1) / (K1 L_i + r[u,i]) * (ln N - ln(1 + n_u)), L_i = (1 - B) + B s_i / mean(s),
 *          s_i = sum of item i's ratings; norm_i = 1 (BM25Recommender does not normalise: a plain dot product).
 * Weights are computed in f64 and stored as f32; norms are computed in f64 from the stored f32 weights.
 */

export type ItemKnnWeighting = "none" | "tfidf" | "bm25";

/** User-major ratings: row u holds items rowItems[rowPtr[u] .. rowPtr[u+1]) ascending, with their summed ratings. */
export interface RatingRows {
  nUsers: number;
  nItems: number;
  rowPtr: Int32Array;
  rowItems: Int32Array;
  rowRatings: Float32Array;
}

/** Counting sorts (item, then user; both stable) into a CSR with rows sorted by item and duplicate pairs summed. */
export function ratingRows(userOf: Int32Array, itemOf: Int32Array, rating: Float32Array, nUsers: number, nItems: number): RatingRows {
  const n = userOf.length;
  const colStart = new Int32Array(nItems + 1);
  for (let e = 0; e < n; e++) colStart[itemOf[e] + 1]++;
  for (let i = 0; i < nItems; i++) colStart[i + 1] += colStart[i];
  const byItem = new Int32Array(n); // entry numbers in (item, input order)
  const cursor = colStart.slice(0, nItems);
  for (let e = 0; e < n; e++) byItem[cursor[itemOf[e]]++] = e;
  const rowCount = new Int32Array(nUsers + 1);
  for (let e = 0; e < n; e++) rowCount[userOf[e] + 1]++;
  for (let u = 0; u < nUsers; u++) rowCount[u + 1] += rowCount[u];
  const items = new Int32Array(n);
  const values = new Float32Array(n); // a duplicate pair's ratings are summed in f32
  const at = rowCount.slice(0, nUsers);
  // items ascending within each row; a duplicate lands right after its twin, in input order
  for (let p = 0; p < n; p++) {
    const e = byItem[p];
    const slot = at[userOf[e]]++;
    items[slot] = itemOf[e];
    values[slot] = rating[e];
  }
  const rowPtr = new Int32Array(nUsers + 1);
  let out = 0;
  for (let u = 0; u < nUsers; u++) {
    for (let p = rowCount[u]; p < rowCount[u + 1]; p++) {
      if (out > rowPtr[u] && items[out - 1] === items[p]) values[out - 1] += values[p];
      else {
        items[out] = items[p];
        values[out] = values[p];
        out++;
      }
    }
    rowPtr[u + 1] = out;
  }
  return { nUsers, nItems, rowPtr, rowItems: items.slice(0, out), rowRatings: values.slice(0, out) };
}

/** Where the weighted matrix is written (views on the kernel's shared memory). */
export interface WeightedMatrixViews {
  colPtr: Int32Array;
  colUsers: Int32Array;
  colVals: Float32Array;
  rowPtr: Int32Array;
  rowItems: Int32Array;
  rowVals: Float32Array;
  norms: Float64Array;
}

/** Fills the weighted user-major and item-major copies of `m` and the item norms (see the file comment). */
export function fillWeightedMatrix(m: RatingRows, weighting: ItemKnnWeighting, K1: number, B: number, out: WeightedMatrixViews): void {
  const { nUsers, nItems, rowPtr, rowItems, rowRatings } = m;
  const nnz = rowItems.length;
  out.rowPtr.set(rowPtr);
  out.rowItems.set(rowItems);
  if (weighting === "none") out.rowVals.set(rowRatings);
  else {
    const logN = Math.log(nItems);
    let lengthNorm: Float64Array | null = null;
    if (weighting === "bm25") {
      const sums = new Float64Array(nItems);
      for (let p = 0; p < nnz; p++) sums[rowItems[p]] += rowRatings[p];
      let total = 0;
      for (let i = 0; i < nItems; i++) total += sums[i];
      const mean = total / nItems;
      lengthNorm = new Float64Array(nItems);
      for (let i = 0; i < nItems; i++) lengthNorm[i] = 1 - B + (B * sums[i]) / mean;
    }
    for (let u = 0; u < nUsers; u++) {
      const idf = logN - Math.log1p(rowPtr[u + 1] - rowPtr[u]);
      for (let p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
        const r = rowRatings[p];
        // a zero rating weighs 0 (with K1 = 0, BM25's formula would be 0 / 0)
        if (r === 0) out.rowVals[p] = 0;
        else out.rowVals[p] = lengthNorm ? ((r * (K1 + 1)) / (K1 * lengthNorm[rowItems[p]] + r)) * idf : Math.sqrt(r) * idf;
      }
    }
  }
  // item-major transpose: iterating users ascending leaves every column sorted by user
  out.colPtr.fill(0);
  for (let p = 0; p < nnz; p++) out.colPtr[rowItems[p] + 1]++;
  for (let i = 0; i < nItems; i++) out.colPtr[i + 1] += out.colPtr[i];
  const cursor = out.colPtr.slice(0, nItems);
  for (let u = 0; u < nUsers; u++) {
    for (let p = rowPtr[u]; p < rowPtr[u + 1]; p++) {
      const slot = cursor[rowItems[p]]++;
      out.colUsers[slot] = u;
      out.colVals[slot] = out.rowVals[p];
    }
  }
  if (weighting === "bm25") out.norms.fill(1);
  else {
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      for (let p = out.colPtr[i]; p < out.colPtr[i + 1]; p++) s += out.colVals[p] * out.colVals[p];
      out.norms[i] = Math.sqrt(s);
    }
  }
}
