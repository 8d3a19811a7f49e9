import { availableParallelism } from "node:os";
import { InputError } from "../core/errors.js";
import { spawnSeed } from "../core/rng.js";
import { quietContext, type ProgressSink, type RunContext } from "../core/run-context.js";
import type { StageRegistry } from "../core/registry.js";
import { buildEvaluators, buildPipelineStages, buildSplitter } from "./build-stages.js";
import { computeBaselines } from "./baselines.js";
import { checkRatingsFinite } from "./check-ratings.js";
import { displayPath } from "./display-path.js";
import { evaluateModel } from "./evaluate-model.js";
import { loadPipelineFile } from "./load-pipeline-file.js";
import { checkRunFitsMemory, gb } from "./memory-estimate.js";
import { fitPipeline, foldSchema, pipelineUid } from "./pipeline-model.js";
import { readSource } from "./read-source.js";
import { recommendForRun } from "./recommend-for-run.js";
import { runNotes } from "./run-notes.js";
import { sharedTopK, type SharedTopK } from "./shared-top-k.js";
import { trainMetrics } from "./train-error.js";
import { tuningVerdicts } from "./tuning-verdicts.js";
import { Timings } from "./timings.js";
import type { RunOutcome } from "./run-outcome.js";
import { tunePipeline, type TuneResult } from "./tune.js";
import { writeRunDirectory } from "./write-run-directory.js";
import { runOnSparkConnect } from "../spark-connect/engine.js";
import { applyPrepare, prepareSchema } from "../prepare/apply-prepare.js";
import type { FunnelStep } from "../prepare/funnel.js";
import { duplicatePairsNote, recommenderIdColumns } from "../prepare/id-columns.js";
import type { Transformer } from "../core/stage.js";
import { buildStage } from "./build-stages.js";

export interface RunOptions {
  /** `--set KEY=VALUE` overrides. */
  set?: string[];
  /** Folder that receives the run directory (default: the file's `output.dir`). */
  outDir?: string;
  /** Worker threads for numeric work (default: all cores). */
  workers?: number;
  progress?: ProgressSink;
  log?: (message: string) => void;
  warn?: (message: string) => void;
  registry?: StageRegistry;
  /** Run the plugin modules the file names (`--allow-plugins`); without it a file naming plugins is refused. */
  allowPlugins?: boolean;
  /** Clock for the run directory's name (tests). */
  now?: Date;
  /** Run on a Spark cluster through Spark Connect (sc://HOST:PORT...) instead of this machine. */
  remote?: string;
  /** With `remote`: also save the model on the cluster, with Spark's own writers, at this path. */
  remoteModelPath?: string;
}

export interface RunResult {
  runDir: string;
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  /** The regression metrics on the training rows, beside the test metrics (over-fitting shows as a gap). */
  trainMetrics: Record<string, number>;
  /** Said plainly before the numbers: no test set, a model worse than a baseline, a refit on every row. */
  notes: string[];
  timingsSeconds: Record<string, number>;
  tune?: TuneResult["summary"];
  /** Rows, distinct users and items after reading and after each prepare step (local engine). */
  prepare?: FunnelStep[];
}

/**
 * Runs a pipeline file end to end: read, split, (tune,) fit on train, evaluate on test, recommend, and write the run
 * directory atomically. The CLI and the programmatic API both call this, so they give the same result.
 */
export async function run(file: string, opts: RunOptions = {}): Promise<RunResult> {
  // The pipeline layer picks the engine; both write the same run directory.
  if (opts.remote) return runOnSparkConnect(file, { ...opts, remote: opts.remote });
  if (opts.remoteModelPath) throw new InputError("E_ARGS", `--remote-model-path needs --remote (or SPARK_REMOTE): it saves the model on the Spark cluster`);
  const timings = new Timings();
  const loaded = await loadPipelineFile(file, { set: opts.set, registry: opts.registry, allowPlugins: opts.allowPlugins });
  const { spec, registry } = loaded;
  const workers = Math.max(1, opts.workers ?? availableParallelism());
  // Programmatic callers may omit progress: an explicit undefined must not replace the silent default.
  const base = quietContext({ workers, ...(opts.progress ? { progress: opts.progress } : {}), log: opts.log ?? (() => undefined), warn: opts.warn ?? (() => undefined) });
  const ctxFor = (name: string): RunContext => ({ ...base, seed: spawnSeed(spec.seed, name) });

  const prepareSteps = spec.prepare.map((s) => buildStage<Transformer>(registry, s, spec.seed, "transformer"));
  const stages = buildPipelineStages(registry, spec.pipeline, spec.seed);
  const evaluators = buildEvaluators(registry, spec.evaluate, spec.seed);
  const splitter = buildSplitter(registry, spec.split, spec.seed);

  // Refused before reading when it cannot fit: a crash half an hour in, after the data was read, helps nobody.
  const memory = await checkRunFitsMemory(spec, loaded.baseDir);
  if (memory) base.log(`memory: about ${gb(memory.bytes)} estimated for ${memory.rows.toLocaleString("en-US")} ratings`);
  const { table: source, input } = await timings.time("read", () => readSource(spec.source, loaded.baseDir, spec.seed, base.progress, base.warn));
  base.log(`read ${source.numRows.toLocaleString("en-US")} rows`);
  // Every column and type is checked across prepare and the whole pipeline before anything is fitted (Spark's
  // transformSchema); then prepare runs on every row, before the split, and the rating checks see its output.
  foldSchema(stages, prepareSchema(prepareSteps, source.schema));
  const idColumns = recommenderIdColumns(spec.pipeline);
  const prepare = () => applyPrepare(prepareSteps, source, ctxFor("prepare"), idColumns);
  const { table: data, funnel } = prepareSteps.length > 0 ? await timings.time("prepare", prepare) : await prepare();
  const sourceName = input.path ? displayPath(input.path) : "the source";
  checkRatingsFinite(spec.pipeline, data, data === source ? sourceName : `the data after prepare (read from ${sourceName})`);

  const { train, test } = await timings.time("split", () => splitter.split(data, ctxFor(`split:${splitter.name}`)));
  base.log(`split: ${train.numRows.toLocaleString("en-US")} train, ${test.numRows.toLocaleString("en-US")} test rows`);
  // Caught here, naming the split, rather than as a confusing "no ratings" from whichever stage fits first.
  if (train.numRows === 0) {
    throw new InputError("E_DATA", `split (${splitter.type}): no training rows: ${data.numRows} rows split into 0 train and ${test.numRows} test (params ${JSON.stringify(splitter.params)}); give the train side a positive weight`);
  }

  let toFit = stages;
  let tune: TuneResult | undefined;
  if (spec.tune) {
    tune = await timings.time("tune", () => tunePipeline(loaded, stages, train, ctxFor));
    toFit = tune.bestStages;
  }
  const fitCtx = { ...base, seed: spec.seed };
  const uid = pipelineUid(spec.seed, spec.name);
  const model = await timings.time("fit", () => fitPipeline(toFit, train, fitCtx, uid));
  // split: none (or a split that leaves no test rows): nothing to score on, and the run says so rather than print NaN.
  const tested = test.numRows > 0;
  // tune.refit: all: the test metrics below score the best params fitted on train (honest); the model that is saved
  // and recommends is then refitted on every row, as a production model should be.
  const refitAll = spec.tune?.params.refit === "all" && tested;
  // Ranking metrics and recommendations read one top-k computation when both are asked for of the same model
  // (see shared-top-k.ts); a refitted model recommends from its own lists.
  let shared: SharedTopK | undefined;
  const metrics = tested
    ? await timings.time("evaluate", async () => {
        if (!refitAll) shared = await sharedTopK(model, evaluators, spec.recommend, train, test, ctxFor("evaluate"));
        return evaluateModel(model, evaluators, train, test, ctxFor("evaluate"), shared);
      })
    : {};
  const onTrain = await timings.time("evaluate", () => trainMetrics(model, evaluators, train, ctxFor("evaluate")));
  const baselines = tested ? await timings.time("baselines", () => computeBaselines(registry, model, evaluators, train, test, ctxFor("baselines"), spec.seed)) : {};
  const final = refitAll ? await timings.time("refit", () => fitPipeline(toFit, data, fitCtx, uid)) : model;
  const seen = refitAll ? data : train;
  const recommendations = spec.recommend
    ? await timings.time("recommend", () => recommendForRun(final, spec.recommend!, seen, ctxFor("recommend"), shared))
    : undefined;
  const notes = runNotes({
    modelName: final.recommender()?.type ?? final.stages.at(-1)?.type ?? "the model",
    testRows: test.numRows,
    splitType: splitter.type,
    metrics,
    baselines,
    largerIsBetter: Object.fromEntries(evaluators.map((e) => [e.metricKey, e.isLargerBetter])),
    refitAllRows: refitAll ? data.numRows : undefined,
    tuningEdges: tune ? tuningVerdicts(tune.summary).edges.map((e) => e.message) : [],
  });
  const duplicates = funnel.at(-1)?.duplicatePairs ?? 0;
  if (duplicates > 0) notes.push(duplicatePairsNote(duplicates, idColumns));

  const outcome: RunOutcome = {
    loaded, input, data, train: seen, test, rows: { data: data.numRows, train: seen.numRows, test: test.numRows },
    model: final, stages: toFit, metrics, trainMetrics: onTrain, notes, baselines, tune, recommendations, timings, workers, prepare: funnel,
  };
  const runDir = await timings.time("write", () => writeRunDirectory(outcome, { outDir: opts.outDir, now: opts.now ?? new Date() }));
  return { runDir, metrics, baselines, trainMetrics: onTrain, notes, timingsSeconds: timings.seconds, tune: tune?.summary, prepare: funnel };
}
