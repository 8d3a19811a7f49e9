/**
 * The per-sweep work of an ALS fit besides the half-steps, in pieces any ALS thread can run (so it no longer
 * runs on the calling thread while the workers wait): a share of implicit's Gram matrix YtY (als-gram.ts) and
 * tasks of the training objective (als-objective.ts). Both give the same bits for any number of threads.
 */
import { accumulateGramBands } from "../kernels/als-gram.js";
import type { GramBands } from "../kernels/als-half-step.js";
import { gramView, sideViews, type AlsLayout, type AlsSide } from "../kernels/als-layout.js";
import { objectiveTaskCount, runObjectiveTask } from "../kernels/als-objective.js";

/** One thread's share of YtY of `factorSide`'s factors, in (and from) memory `space`: output rows [band[0], band[1]). */
export interface AlsGramJob {
  space: number;
  factorSide: AlsSide;
  band: [number, number];
}

export function runGramShare(gramBands: GramBands, buffer: ArrayBufferLike, layout: AlsLayout, job: AlsGramJob): void {
  const factors = sideViews(buffer, layout, job.factorSide).factors;
  accumulateGramBands(gramBands, factors, layout[job.factorSide].rows, layout.kp, gramView(buffer, layout), job.band);
}

/**
 * The objective's tasks, run in the memory that solves the users (it holds their CSR, both factor matrices and,
 * when implicit, the items' YtY the user half-step solved with). SharedArrayBuffer views: threads claim tasks from
 * `next[0]` and write their own slots of `partials`.
 */
export interface AlsObjectiveJob {
  alpha: number;
  implicit: boolean;
  userStride: number;
  counts: { user: Int32Array; item: Int32Array };
  next: Int32Array;
  partials: Float64Array;
}

export function runObjectiveTasks(buffer: ArrayBufferLike, layout: AlsLayout, job: AlsObjectiveJob): void {
  const input = {
    users: sideViews(buffer, layout, "user"),
    items: sideViews(buffer, layout, "item"),
    k: layout.k,
    kp: layout.kp,
    alpha: job.alpha,
    implicit: job.implicit,
    itemGram: job.implicit ? gramView(buffer, layout) : null,
    counts: job.counts,
    userStride: job.userStride,
  };
  const tasks = objectiveTaskCount(job.counts.user.length, job.counts.item.length);
  for (;;) {
    const t = Atomics.add(job.next, 0, 1);
    if (t >= tasks) return;
    runObjectiveTask(input, t, job.partials);
  }
}
