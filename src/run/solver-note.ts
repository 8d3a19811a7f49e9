import type { StageBase } from "../core/stage.js";

/**
 * Issue 21: a user on the default solver (Cholesky, Spark's) at a high implicit rank gets a run several times slower
 * than solver cg would give, and is never told why. The factor is measured, not guessed: BENCHMARKS.md's "Rank-64
 * implicit sweeps against benfred/implicit" table (code 45900e3) gives cholesky / cg seconds a sweep of
 * 4.232 / 1.514 = 2.8x at 3M ratings, 19.388 / 8.369 = 2.3x at 10M and 29.741 / 11.722 = 2.5x at 25M, rank 64.
 * Below rank 32 the Cholesky solve is cheap beside the gathering of ratings, so the note is kept for rank >= 32.
 */
const MEASURED = { low: 2.3, high: 2.8, typical: 2.5, rank: 64 } as const;
const FROM_RANK = 32;

/** One note per local ALS stage that solves implicit feedback with Cholesky at rank >= 32 (NNLS, nonnegative, aside). */
export function choleskySolverNotes(stages: readonly StageBase[]): string[] {
  const notes: string[] = [];
  for (const s of stages) {
    const p = s.params;
    if (s.type !== "als" || p.implicitPrefs !== true || p.nonnegative === true || p.solver !== "cholesky" || Number(p.rank) < FROM_RANK) continue;
    notes.push(
      `${s.name} solves implicit feedback at rank ${String(p.rank)} with solver cholesky (Spark's, the default); solver cg fitted ` +
        `about ${MEASURED.typical}x faster (${MEASURED.low}-${MEASURED.high}x at rank ${MEASURED.rank}, 3M-25M ratings, BENCHMARKS.md), ` +
        `as benfred/implicit solves: --set pipeline.${s.name}.solver=cg (local engine only; Spark's ALS has no cg)`,
    );
  }
  return notes;
}
