import type { Evaluator } from "../core/stage.js";
import { prepareNotes } from "../prepare/id-columns.js";
import type { RunOutcome } from "./run-outcome.js";
import type { RunResult } from "./run-options.js";
import { runNotes } from "./run-notes.js";
import { choleskySolverNotes } from "./solver-note.js";
import { tuningVerdicts } from "./tuning-verdicts.js";

/** What a run says before its numbers (runNotes), read off what it computed, plus the prepare funnel's notes. */
export function notesFor(o: RunOutcome, run: { splitType: string; evaluators: readonly Evaluator[]; refitAll: boolean }): string[] {
  const notes = runNotes({
    modelName: o.model.recommender()?.type ?? o.model.stages.at(-1)?.type ?? "the model",
    testRows: o.rows.test,
    splitType: run.splitType,
    metrics: o.metrics,
    baselines: o.baselines,
    largerIsBetter: Object.fromEntries(run.evaluators.map((e) => [e.metricKey, e.isLargerBetter])),
    refitAllRows: run.refitAll ? o.rows.train : undefined,
    tuningEdges: o.tune ? tuningVerdicts(o.tune.summary).edges.map((e) => e.message) : [],
    // Spark's ALS has no cg: the note is for the local engine (no engine record) only.
    solverNotes: o.engine ? [] : choleskySolverNotes(o.stages),
  });
  return [...notes, ...prepareNotes(o.prepare, o.loaded.spec.pipeline)];
}

/** What `run` returns (and `--json` prints) of a written run. */
export function runResult(runDir: string, o: RunOutcome): RunResult {
  const { metrics, baselines, trainMetrics, notes, tune, prepare } = o;
  return { runDir, metrics, baselines, trainMetrics, notes, timingsSeconds: o.timings.seconds, tune: tune?.summary, ...(prepare ? { prepare } : {}) };
}
