/**
 * Maps sparse integer ids to dense indices 0..m-1 in ascending id order (what baselines index their arrays by).
 */
export function denseIds(ids: Int32Array, valid?: Uint8Array): { uniq: Int32Array; index: Int32Array } {
  const n = ids.length;
  let m = 0;
  const sorted = new Int32Array(n);
  for (let i = 0; i < n; i++) if (!valid || valid[i]) sorted[m++] = ids[i];
  const live = sorted.subarray(0, m).sort();
  let u = 0;
  for (let i = 0; i < m; i++) if (u === 0 || live[i] !== live[u - 1]) live[u++] = live[i];
  const uniq = live.slice(0, u);
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = !valid || valid[i] ? lookupDense(uniq, ids[i]) : -1;
  return { uniq, index };
}

/** Dense index of `id` in the ascending `uniq`, or -1 when unknown. */
export function lookupDense(uniq: Int32Array, id: number): number {
  let lo = 0;
  let hi = uniq.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = uniq[mid];
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
