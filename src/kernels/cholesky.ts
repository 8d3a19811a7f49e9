/**
 * Dense Cholesky solve A x = b for a symmetric positive definite n x n matrix (row-major Float64Array, upper
 * triangle read, overwritten by U with A = U^T U). The readable f64 reference that the SIMD wasm kernel twins.
 *
 * Returns false when a pivot is not positive relative to its original diagonal (pivotTol), i.e. A is
 * singular or indefinite for this precision; Spark's LAPACK dppsv reports the same case through `info > 0`.
 */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number, outX: Float64Array, pivotTol = 1e-10): boolean {
  for (let p = 0; p < n; p++) {
    const diag0 = A[p * n + p];
    let d = diag0;
    for (let q = 0; q < p; q++) d -= A[q * n + p] * A[q * n + p];
    if (!(d > pivotTol * diag0)) return false;
    const s = Math.sqrt(d);
    A[p * n + p] = s;
    for (let j = p + 1; j < n; j++) {
      let v = A[p * n + j];
      for (let q = 0; q < p; q++) v -= A[q * n + p] * A[q * n + j];
      A[p * n + j] = v / s;
    }
  }
  // U^T z = b, then U x = z
  for (let p = 0; p < n; p++) {
    let v = b[p];
    for (let q = 0; q < p; q++) v -= A[q * n + p] * outX[q];
    outX[p] = v / A[p * n + p];
  }
  for (let p = n - 1; p >= 0; p--) {
    let v = outX[p];
    for (let j = p + 1; j < n; j++) v -= A[p * n + j] * outX[j];
    outX[p] = v / A[p * n + p];
  }
  return true;
}
