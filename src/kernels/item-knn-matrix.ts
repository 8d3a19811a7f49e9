/**
 * The rating matrix item-knn works on: user-major CSR with each row's items ascending and duplicate (user, item)
 * pairs summed (as scipy's coo -> csr does for benfred/implicit), then the weighted copy its neighbour kernel reads,
 * item-major (each entry's place in its user's row and that row's end, instead of the user) and user-major, and the per-item norms.
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

/** Where ratingRowsInto writes: rowPtr (nUsers + 1) and room for every input entry in rowItems / rowRatings. */
export interface RatingRowsOut {
  rowPtr: Int32Array;
  rowItems: Int32Array;
  rowRatings: Float32Array;
}

/**
 * Counting sorts (item, then user; both stable) into a CSR with rows sorted by item and duplicate pairs summed,
 * written straight into `out` (the kernel's memory, so the rows are never copied); returns the number of entries.
 * The first sort carries each entry's user and rating along (into `staging`, n entries each), so both passes read
 * sequentially and only write at random (a dependent random read per entry costs a cache miss at 25M ratings).
 * `userOf` and `itemOf` may be views on out.rowItems and out.rowRatings: they are read before the rows are written.
 */
export function ratingRowsInto(
  userOf: Int32Array,
  itemOf: Int32Array,
  rating: Float32Array,
  nUsers: number,
  nItems: number,
  out: RatingRowsOut,
  staging: { users: Int32Array; ratings: Float32Array } = { users: new Int32Array(userOf.length), ratings: new Float32Array(userOf.length) },
): number {
  const n = userOf.length;
  const colStart = new Int32Array(nItems + 1);
  const rowStart = new Int32Array(nUsers + 1);
  for (let e = 0; e < n; e++) {
    colStart[itemOf[e] + 1]++;
    rowStart[userOf[e] + 1]++;
  }
  for (let i = 0; i < nItems; i++) colStart[i + 1] += colStart[i];
  for (let u = 0; u < nUsers; u++) rowStart[u + 1] += rowStart[u];
  const userByItem = staging.users; // entries in (item, input order)
  const ratingByItem = staging.ratings;
  const cursor = colStart.slice(0, nItems);
  for (let e = 0; e < n; e++) {
    const at = cursor[itemOf[e]]++;
    userByItem[at] = userOf[e];
    ratingByItem[at] = rating[e];
  }
  const { rowPtr, rowItems, rowRatings } = out;
  const at = rowStart.slice(0, nUsers);
  // items ascending within each row; a duplicate lands right after its twin, in input order
  for (let i = 0; i < nItems; i++) {
    for (let p = colStart[i]; p < colStart[i + 1]; p++) {
      const slot = at[userByItem[p]]++;
      rowItems[slot] = i;
      rowRatings[slot] = ratingByItem[p];
    }
  }
  // sum duplicates in place: the write position never passes the read position
  rowPtr[0] = 0;
  let w = 0;
  for (let u = 0; u < nUsers; u++) {
    for (let p = rowStart[u]; p < rowStart[u + 1]; p++) {
      if (w > rowPtr[u] && rowItems[w - 1] === rowItems[p]) rowRatings[w - 1] += rowRatings[p];
      else {
        rowItems[w] = rowItems[p];
        rowRatings[w] = rowRatings[p];
        w++;
      }
    }
    rowPtr[u + 1] = w;
  }
  return w;
}

/** ratingRowsInto on fresh arrays. */
export function ratingRows(userOf: Int32Array, itemOf: Int32Array, rating: Float32Array, nUsers: number, nItems: number): RatingRows {
  const n = userOf.length;
  const out = { rowPtr: new Int32Array(nUsers + 1), rowItems: new Int32Array(n), rowRatings: new Float32Array(n) };
  const nnz = ratingRowsInto(userOf, itemOf, rating, nUsers, nItems, out);
  return { nUsers, nItems, rowPtr: out.rowPtr, rowItems: out.rowItems.slice(0, nnz), rowRatings: out.rowRatings.slice(0, nnz) };
}

/** Where the weighted matrix is written (views on the kernel's shared memory). */
export interface WeightedMatrixViews {
  colPtr: Int32Array;
  /** Where column entry p's user row ends (rowPtr[u + 1]): the item-major copy needs no user index itself. */
  colRowEnd: Int32Array;
  colVals: Float32Array;
  /** Where column entry p sits in its user's row: the neighbour kernel walks that row from just after it. */
  colRowPos: Int32Array;
  rowPtr: Int32Array;
  rowItems: Int32Array;
  rowVals: Float32Array;
  norms: Float64Array;
}

/** The rows may already sit where the kernel reads them (ratingRowsInto wrote them there): then there is nothing to copy. */
function copyUnlessSame(to: Int32Array | Float32Array, from: Int32Array | Float32Array): void {
  if (to.buffer === from.buffer && to.byteOffset === from.byteOffset && to.length === from.length) return;
  to.set(from);
}

/** Fills the weighted user-major and item-major copies of `m` and the item norms (see the file comment). */
export function fillWeightedMatrix(m: RatingRows, weighting: ItemKnnWeighting, K1: number, B: number, out: WeightedMatrixViews): void {
  const { nUsers, nItems, rowPtr, rowItems, rowRatings } = m;
  const nnz = rowItems.length;
  copyUnlessSame(out.rowPtr, rowPtr);
  copyUnlessSame(out.rowItems, rowItems);
  if (weighting === "none") copyUnlessSame(out.rowVals, rowRatings);
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
      out.colRowEnd[slot] = rowPtr[u + 1];
      out.colVals[slot] = out.rowVals[p];
      out.colRowPos[slot] = p;
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
