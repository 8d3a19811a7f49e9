import { InputError } from "../core/errors.js";
import type { TuneResult } from "../model/tune-result.js";
import { prepareSteps } from "./prepare-steps.js";
import { startRun } from "./start-run.js";
import type { RunOptions, RunResult } from "./run-options.js";
import { searchParamGrid } from "./tune.js";
import { writeRunDirectory } from "./write-run-directory.js";
import { notesFor, runResult } from "./run-outcome-notes.js";
import type { RunOutcome } from "./run-outcome.js";

export type { RunOptions, RunResult } from "./run-options.js";

/**
 * Runs a pipeline file end to end: read, prepare, split, (tune,) fit on train, evaluate on test, baselines, recommend,
 * and write the run directory atomically. One sequence for every engine (src/engines/engine.ts): the engine decides
 * where each phase runs, never which phases run. The CLI and the programmatic API both call this.
 */
export async function run(file: string, opts: RunOptions = {}): Promise<RunResult> {
  const { loaded, timings, time, base, ctxFor, stages, evaluators, splitter, engine } = await startRun(file, opts);
  const { spec } = loaded;
  try {
    const steps = prepareSteps(loaded);
    const read = await time("read", () => engine.load(stages, steps));
    const prepared = await engine.prepare(read.data, steps);
    const { data } = prepared;
    // The rows the split (and a refit on every row) receive: the source's, or what prepare left of them.
    const dataRows = prepared.rows ?? read.rows;
    // Only a refit on every row reads the data's rows after the split (the report counts ids and ratings, in any order).
    const reuseData = spec.tune?.params.refit !== "all";
    const split = await time("split", () => engine.split(data, splitter, ctxFor(`split:${splitter.name}`), reuseData));
    const { train, rows } = split;
    base.log(`split: ${rows.train.toLocaleString("en-US")} train, ${rows.test.toLocaleString("en-US")} test rows`);
    // Caught here, naming the split, rather than as a confusing "no ratings" from whichever stage fits first.
    if (rows.train === 0) {
      throw new InputError(
        "E_DATA",
        `split (${splitter.type}): no training rows: ${dataRows} rows split into 0 train and ${rows.test} test (params ${JSON.stringify(splitter.params)}); give the train side a positive weight`,
      );
    }
    // split: none (or a split that leaves no test rows): nothing to score on, and the run says so rather than print NaN.
    const test = split.test !== undefined && rows.test > 0 ? split.test : undefined;
    const tune: TuneResult | undefined = spec.tune ? await time("tune", () => searchParamGrid(loaded, stages, ctxFor, engine.trials(train))) : undefined;
    const toFit = tune?.bestStages ?? stages;
    // tune.refit: all: the test metrics score the best params fitted on train (honest); the model that is saved and
    // recommends is then refitted on every row, as a production model should be.
    const refitAll = spec.tune?.params.refit === "all" && test !== undefined;
    const fitted = await time("fit", () => engine.fit(toFit, train, ""));
    // Fetched at once (a cluster short of driver memory may evict its models); a refitted model is fetched instead.
    const model = refitAll ? undefined : await engine.fetch(fitted);
    const metrics = test ? await time("evaluate", () => engine.evaluate(fitted, evaluators, train, test, !refitAll)) : {};
    const onTrain = await time("evaluate", () => engine.trainMetrics(fitted, evaluators, train));
    const baselines = test ? await time("baselines", () => engine.baselines(fitted, evaluators, train, test)) : {};
    let final = fitted;
    if (refitAll) {
      await engine.release(fitted);
      final = await time("refit", () => engine.fit(toFit, data, "on every row"));
    }
    const saved = model ?? (await engine.fetch(final));
    const seen = refitAll ? data : train;
    const want = spec.recommend;
    const recommendations = want ? await time("recommend", () => engine.recommend(final, saved, want, seen)) : undefined;
    const reportRecommendations = await engine.reportRecommendations(final, saved, seen, recommendations);
    await engine.keep(final, saved.uid);
    await engine.release(final);
    // Counted beside the phases above when the engine could (the source's counts of a local run without prepare:).
    const funnel = await prepared.funnel;
    const outcome: RunOutcome = {
      loaded,
      input: read.input,
      data: read.table,
      train: engine.localTable(seen),
      test: engine.localTable(split.test),
      engine: engine.record,
      rows: { data: read.rows, train: refitAll ? dataRows : rows.train, test: rows.test },
      model: saved,
      stages: toFit,
      metrics,
      trainMetrics: onTrain,
      notes: [],
      baselines,
      tune,
      recommendations,
      reportRecommendations,
      timings,
      workers: base.workers,
      alsKernel: base.alsKernel,
      prepare: funnel,
      itemAttributes: engine.itemAttributes?.(saved),
      itemsInput: read.itemsInput,
    };
    outcome.notes.push(...notesFor(outcome, { splitType: splitter.type, evaluators, refitAll }));
    const runDir = await time("write", () => writeRunDirectory(outcome, { outDir: opts.outDir, now: opts.now ?? new Date() }));
    return runResult(runDir, outcome);
  } catch (e) {
    // The phase that was running, for a failure that can name it (a Spark Connect server lost mid-run).
    throw await engine.failure(e, timings.running);
  } finally {
    await engine.close();
  }
}
