/**
 * id -> row index for a factor set's ids. A dense Int32Array table when the ids span a small range (the usual case
 * after StringIndexer or for MovieLens-like ids), else a Map; both return -1 for an unknown id.
 */
export type IdLookup = (id: number) => number;

const DENSE_LIMIT = 1 << 24;

export function makeIdLookup(ids: Int32Array): IdLookup {
  if (ids.length === 0) return () => -1;
  let min = ids[0];
  let max = ids[0];
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] < min) min = ids[i];
    if (ids[i] > max) max = ids[i];
  }
  const span = max - min + 1;
  if (span <= DENSE_LIMIT && span <= 8 * ids.length + 1024) {
    const table = new Int32Array(span).fill(-1);
    for (let i = 0; i < ids.length; i++) if (table[ids[i] - min] < 0) table[ids[i] - min] = i;
    return (id) => (id >= min && id <= max ? table[id - min] : -1);
  }
  const map = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) if (!map.has(ids[i])) map.set(ids[i], i);
  return (id) => map.get(id) ?? -1;
}
