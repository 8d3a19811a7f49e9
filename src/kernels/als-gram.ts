/**
 * Implicit ALS's Gram matrix YtY, computed by several threads at once with the bits of the one-thread sum.
 *
 * Every entry of YtY is its own sequential sum over the factor rows, in row order, through fixed ALS_CHUNK_ROWS
 * chunks (the wasm kernel keeps it in f32 and carries it from chunk to chunk exactly; the twin rounds an f64 chunk
 * sum into it). No entry reads another, so the threads split the OUTPUT, not the rows: each takes a contiguous
 * range of 4-row bands, runs the chunk loop over all rows for those bands, and once all are done the upper
 * triangle is mirrored. Which thread sums an entry changes nothing, so YtY is identical for any thread count.
 */
import type { FactorArray, GramBands } from "./als-half-step.js";
import { ALS_CHUNK_ROWS } from "./als-layout.js";

/**
 * Output rows [start, end) (multiples of 4) that thread `slot` of `threads` sums. The wasm kernel computes band ib's
 * tiles from column ib & ~7 on, so early bands cost more: the ranges balance that work, not the band count.
 */
export function gramBandRange(kp: number, threads: number, slot: number): [number, number] {
  const bands = kp / 4;
  const weight = (b: number): number => kp - ((4 * b) & ~7);
  let total = 0;
  for (let b = 0; b < bands; b++) total += weight(b);
  const boundary = (s: number): number => {
    const target = (total * s) / threads;
    let b = 0;
    let cum = 0;
    // the first band whose cumulative work reaches half a band past the target: rounds to the nearest boundary
    while (b < bands && cum + weight(b) / 2 < target) cum += weight(b++);
    return 4 * b;
  };
  return [boundary(slot), slot + 1 === threads ? kp : boundary(slot + 1)];
}

/** One thread's share: outGram's rows [band[0], band[1]) += YtY of Y's first `rows` rows, chunk by chunk. */
export function accumulateGramBands(gramBands: GramBands, Y: FactorArray, rows: number, kp: number, outGram: FactorArray, band: [number, number]): void {
  if (band[0] >= band[1]) return;
  for (let s = 0; s < rows; s += ALS_CHUNK_ROWS) gramBands(Y, s, Math.min(rows, s + ALS_CHUNK_ROWS), kp, outGram, band[0], band[1]);
}

/** Lower triangle := upper triangle (the wasm kernel sums the upper one only; the solvers read both). */
export function mirrorUpperTriangle(gram: FactorArray, kp: number): void {
  for (let i = 1; i < kp; i++) for (let j = 0; j < i; j++) gram[i * kp + j] = gram[j * kp + i];
}
