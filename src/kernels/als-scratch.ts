/** Rank padded to a multiple of 4: the f32x4 kernels need whole lanes, and padded lanes stay exactly 0. */
export function paddedRank(rank: number): number {
  return Math.ceil(rank / 4) * 4;
}

/** Ratings gathered per block in the wasm Gram pass (assembly/als-half-step.ts BLOCK). */
const GATHER_BLOCK = 128;

/**
 * Bytes of per-thread scratch the wasm kernel uses at padded rank kp (mirrors assembly/als-half-step.ts `scratchBytes`), rounded
 * up to 64 so consecutive scratch regions stay aligned. The CG solver gathers a whole row, so it also needs
 * maxRowLength * kp * 4 bytes (pass 0 for the Cholesky and NNLS solvers, which gather in fixed blocks).
 */
export function alsScratchBytes(kp: number, maxRowLength = 0): number {
  const fixed = Math.ceil((4 * (kp * kp + 6 * kp + GATHER_BLOCK * kp) + 8 + 8 * (kp * kp + 7 * kp)) / 64) * 64;
  return fixed + Math.ceil((maxRowLength * kp * 4) / 64) * 64;
}
