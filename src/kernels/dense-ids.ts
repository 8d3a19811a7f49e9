/**
 * Raw int32 ids -> dense indices 0..n-1 in ascending id order (Spark sorts the ids inside a block the same way).
 * Writes each rating's dense index into outDense and returns the sorted distinct ids. Uses a lookup table when
 * the id range is compact (the usual case: O(n), 4 bytes per id in range), otherwise sort + binary search.
 */
export function denseIndex(ids: Int32Array | Float64Array, outDense: Int32Array): Int32Array {
  const n = ids.length;
  let min = 2147483647;
  let max = -2147483648;
  for (let i = 0; i < n; i++) {
    const v = ids[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return new Int32Array(0);
  const range = max - min + 1;
  if (range <= Math.max(1 << 22, 2 * n)) {
    const table = new Int32Array(range);
    for (let i = 0; i < n; i++) table[ids[i] - min] = 1;
    let next = 0;
    for (let v = 0; v < range; v++) if (table[v] !== 0) table[v] = ++next; // rank + 1, 0 = absent
    const uniq = new Int32Array(next);
    for (let v = 0; v < range; v++) if (table[v] !== 0) uniq[table[v] - 1] = v + min;
    for (let i = 0; i < n; i++) outDense[i] = table[ids[i] - min] - 1;
    return uniq;
  }
  const sorted = Int32Array.from(ids).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i];
  const uniq = sorted.slice(0, m);
  for (let i = 0; i < n; i++) {
    const v = ids[i];
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (uniq[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    outDense[i] = lo;
  }
  return uniq;
}

/**
 * Maps sparse integer ids to dense indices 0..m-1 in ascending id order (what baselines index their arrays by).
 * Entries with valid[i] = 0 are left out and get index -1.
 */
export function denseIds(ids: Int32Array, valid?: Uint8Array): { uniq: Int32Array; index: Int32Array } {
  if (!valid) {
    const index = new Int32Array(ids.length);
    return { uniq: denseIndex(ids, index), index };
  }
  let m = 0;
  const live = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) if (valid[i]) live[m++] = ids[i];
  const liveIndex = new Int32Array(m);
  const uniq = denseIndex(live.subarray(0, m), liveIndex);
  const index = new Int32Array(ids.length).fill(-1);
  for (let i = 0, o = 0; i < ids.length; i++) if (valid[i]) index[i] = liveIndex[o++];
  return { uniq, index };
}
