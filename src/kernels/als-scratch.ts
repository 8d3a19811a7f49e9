/** Rank padded to a multiple of 4: the f32x4 kernels need whole lanes, and padded lanes stay exactly 0. */
export function paddedRank(rank: number): number {
  return Math.ceil(rank / 4) * 4;
}

/** Ratings gathered per block in the wasm Gram pass (assembly/als-half-step.ts BLOCK). */
const GATHER_BLOCK = 128;

/** Rating slots the CG kernel's gathered layout takes for a row of n ratings (assembly/als-half-step.ts `groupSlots`). */
function cgGroupSlots(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/**
 * Bytes of per-thread scratch the wasm kernel uses at padded rank kp (mirrors assembly/als-half-step.ts `scratchBytes`), rounded
 * up to 64 so consecutive scratch regions stay aligned. The CG solver gathers a whole row (rows longer than the
 * capacity in blocks of at least 4 ratings), each slot kp floats plus two weights, so it also needs room for
 * maxRowLength ratings (pass 0 for the Cholesky and NNLS solvers, which gather in fixed blocks).
 */
export function alsScratchBytes(kp: number, maxRowLength = 0): number {
  const fixed = Math.ceil((4 * (kp * kp + 6 * kp + GATHER_BLOCK * kp) + 8 + 8 * (kp * kp + 7 * kp)) / 64) * 64;
  const slots = cgGroupSlots(maxRowLength);
  return fixed + Math.ceil((slots * (kp + 2) * 4) / 64) * 64;
}
