/**
 * The order ALS keeps its rows in internally: by descending rating count, ties by dense index. A half-step reads
 * the fixed side's factor vector once per rating, at random; with the busiest users and items first, the vectors
 * read most often sit together in a few pages and cache lines instead of being spread over the whole matrix
 * (fewer TLB and cache misses, most of all when the factors exceed the CPU's caches). It also puts the longest
 * rows in the first scheduling chunks, so the short ones even out the threads' finishing times.
 *
 * The order depends on the ratings alone (never on the worker count), so results stay identical for any number
 * of workers; the caller maps ids and factors back to ascending id order.
 */

/** Position in the internal order of each dense row 0..rows-1, given each rating's dense row. */
export function popularityPositions(rowOf: Int32Array, rows: number): Int32Array {
  const counts = new Int32Array(rows);
  let maxCount = 0;
  for (let i = 0; i < rowOf.length; i++) {
    const c = ++counts[rowOf[i]];
    if (c > maxCount) maxCount = c;
  }
  // stable counting sort by count, descending: rows of equal count keep ascending dense order
  const start = new Int32Array(maxCount + 2);
  for (let r = 0; r < rows; r++) start[maxCount - counts[r] + 1]++;
  for (let c = 0; c <= maxCount; c++) start[c + 1] += start[c];
  const position = new Int32Array(rows);
  for (let r = 0; r < rows; r++) position[r] = start[maxCount - counts[r]]++;
  return position;
}

/** Rewrites each rating's dense row as its internal position, in place. */
export function applyPositions(rowOf: Int32Array, position: Int32Array): void {
  for (let i = 0; i < rowOf.length; i++) rowOf[i] = position[rowOf[i]];
}
