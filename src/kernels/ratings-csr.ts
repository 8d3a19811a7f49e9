/**
 * Counting sort of (row, col, rating) triples into CSR, written straight into caller-provided arrays (views on
 * the kernels' shared memory, so nothing is copied later). Stable: a row's ratings keep their input order,
 * which makes every float sum over a row deterministic.
 */
export function fillCsr(
  rowOf: Int32Array,
  colOf: Int32Array,
  rating: Float32Array,
  rows: number,
  outIndptr: Int32Array,
  outIndices: Int32Array,
  outValues: Float32Array,
): void {
  const nnz = rowOf.length;
  outIndptr.fill(0);
  for (let i = 0; i < nnz; i++) outIndptr[rowOf[i] + 1]++;
  for (let r = 0; r < rows; r++) outIndptr[r + 1] += outIndptr[r];
  const cursor = outIndptr.slice(0, rows);
  for (let i = 0; i < nnz; i++) {
    const at = cursor[rowOf[i]]++;
    outIndices[at] = colOf[i];
    outValues[at] = rating[i];
  }
}
