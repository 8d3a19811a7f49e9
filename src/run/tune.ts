import type { Table } from "apache-arrow";
import { rebuildWithParams, type TunerSettings } from "../core/define-stage.js";
import type { StageRegistry } from "../core/registry.js";
import { InputError, isInputError } from "../core/errors.js";
import { SeededRandom } from "../core/rng.js";
import type { RunContext } from "../core/run-context.js";
import type { Evaluator, PipelineStage } from "../core/stage.js";
import { float64Column, takeRows } from "../core/table.js";
import { buildStage, buildTuner } from "../spec/build-stages.js";
import { computeBaselines } from "../engines/local/baselines.js";
import { evaluationInput } from "../engines/local/evaluate-model.js";
import type { LoadedPipeline } from "../spec/load-pipeline-file.js";
import { describeParamMap, expandGrid, overridesByStage, type ParamMap } from "../spec/param-grid.js";
import { fitPipeline, pipelineUid } from "../model/pipeline-model.js";

export interface TrialResult {
  index: number;
  params: ParamMap;
  /** One metric per fold (TrainValidationSplit: one). NaN where the fit failed or the metric was NaN. */
  foldMetrics: number[];
  mean: number;
  std: number;
  /** 1 = best; NaN means rank last. */
  rank: number;
  errors: string[];
}

export interface TuneSummary {
  type: string;
  metric: string;
  isLargerBetter: boolean;
  folds: number;
  paramMaps: number;
  best: Record<string, unknown>;
  bestMetric: number;
  avgMetrics: number[];
  stdMetrics: number[];
  failedTrials: number;
  /** Every param map with a failed fold: its params and each failure ("fold 1: ..."), so --json shows what failed. */
  failures: { params: Record<string, unknown>; errors: string[] }[];
  /** Each param map as {"stage.param": value}, in grid order (avgMetrics[i] belongs to grid[i]). */
  grid: Record<string, unknown>[];
  /** The baselines scored on the same folds with the same evaluator: rows of the CV table a param map must beat. */
  baselines?: Record<string, { foldMetrics: number[]; mean: number; std: number }>;
}

export interface TuneResult {
  tuner: TunerSettings;
  evaluator: Evaluator;
  maps: ParamMap[];
  trials: TrialResult[];
  bestIndex: number;
  /** The pipeline's stages with the winning params: the runner refits them on all of train. */
  bestStages: PipelineStage[];
  summary: TuneSummary;
}

export interface TrialScore {
  metric: number;
  baselines?: Record<string, Record<string, number>>;
}

/**
 * How trials run: locally on Arrow tables, or on a Spark cluster. The search itself (grid order, folds, parallelism,
 * selection, ranking, refit params) is one algorithm, `searchParamGrid`, whichever engine runs the trials.
 */
export interface TrialEngine {
  /** Draws the folds (cross-validator: numFolds; train-validation-split: one) and returns how many there are. */
  prepareFolds(tuner: TunerSettings, seed: number): Promise<number>;
  /**
   * Fits `candidate` (the pipeline with one param map applied) on fold f's fit rows and scores it on its validation
   * rows; with `withBaselines`, also scores the baselines on the same fold with the same evaluator (by baseline name).
   */
  trial(candidate: PipelineStage[], fold: number, evaluator: Evaluator, ctx: RunContext, withBaselines: boolean): Promise<TrialScore>;
  /** Workers per concurrent trial, from the run's workers (local ALS shares the cores; a cluster has its own). */
  workersPerTrial?(workers: number, parallelism: number): number;
}

/**
 * Cross-validation or train-validation split over the param grid, on the TRAINING rows only; the test split is never
 * seen here (no leakage). Trials run `parallelism` at a time, each with its share of the workers; since every fit is
 * deterministic for any worker count and every trial uses the pipeline seed, results equal those of parallelism 1.
 */
export async function tunePipeline(loaded: LoadedPipeline, stages: PipelineStage[], train: Table, ctxFor: (name: string) => RunContext): Promise<TuneResult> {
  let folds: Fold[] = [];
  return searchParamGrid(loaded, stages, ctxFor, {
    async prepareFolds(tuner, seed) {
      folds = foldsOf(tuner, train, seed);
      return folds.length;
    },
    async trial(candidate, f, evaluator, ctx, withBaselines) {
      const fold = folds[f];
      const model = await fitPipeline(candidate, fold.fit, ctx, pipelineUid(loaded.spec.seed, loaded.spec.name));
      const input = await evaluationInput(model, [evaluator], fold.fit, fold.validate, ctx);
      const metric = await evaluator.evaluate(input, ctx);
      const baselines = withBaselines ? await computeBaselines(loaded.registry, model, [evaluator], fold.fit, fold.validate, ctx, loaded.spec.seed, loaded.spec.baselines) : undefined;
      return { metric, baselines };
    },
    workersPerTrial: (workers, parallelism) => Math.max(1, Math.floor(workers / parallelism)),
  });
}

/** The search, engine-independent: see TrialEngine. */
export async function searchParamGrid(loaded: LoadedPipeline, stages: PipelineStage[], ctxFor: (name: string) => RunContext, engine: TrialEngine): Promise<TuneResult> {
  const spec = loaded.spec.tune!;
  const tuner = buildTuner(loaded.registry, spec, loaded.spec.seed);
  const evaluator = buildStage<Evaluator>(loaded.registry, spec.evaluator, loaded.spec.seed, "evaluator");
  const maps = expandGrid(spec.grid);
  const ctx = ctxFor(`tune:${tuner.name}`);
  const seed = (tuner.params.seed as number | undefined) ?? ctx.seed;
  const numFolds = await engine.prepareFolds(tuner, seed);
  const parallelism = Math.min(tuner.params.parallelism as number, maps.length * numFolds);
  const trialCtx: RunContext = { ...ctx, seed: loaded.spec.seed, workers: engine.workersPerTrial?.(ctx.workers, parallelism) ?? ctx.workers };
  const candidates = maps.map((m) => applyParamMap(stages, m, loaded.registry));
  const metrics = maps.map(() => new Array<number>(numFolds).fill(NaN));
  const errors = maps.map(() => [] as string[]);
  const baselineFolds = new Map<string, number[]>();

  const tasks: { m: number; f: number }[] = [];
  for (let f = 0; f < numFolds; f++) for (let m = 0; m < maps.length; m++) tasks.push({ m, f });
  const bar = ctx.progress.start(`tuning ${maps.length} param maps x ${numFolds} fold(s)`, tasks.length, "trials");
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const { m, f } = tasks[next++];
      try {
        // The baselines need each fold once: they ride on the first param map's fitted feature stages.
        const scored = await engine.trial(candidates[m], f, evaluator, trialCtx, m === 0);
        metrics[m][f] = scored.metric;
        for (const [name, ms] of Object.entries(scored.baselines ?? {})) {
          if (!baselineFolds.has(name)) baselineFolds.set(name, new Array<number>(numFolds).fill(NaN));
          baselineFolds.get(name)![f] = ms[evaluator.metricKey];
        }
      } catch (e) {
        // A trial whose params do not fit the data (an input error) fails alone, reported with its params, and the
        // other trials' results are kept. Anything else (a TypeError, a RangeError) is a bug in recpipe or a plugin:
        // the run fails (exit 1) rather than quietly ranking that param map last.
        if (!isInputError(e)) throw e;
        errors[m].push(`fold ${f}: ${(e as Error).message}`);
        ctx.warn(`trial ${describeParamMap(maps[m])} (fold ${f}) failed: ${(e as Error).message}`);
      }
      bar.tick(++done);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  bar.done();

  const trials = maps.map<TrialResult>((params, index) => ({ index, params, foldMetrics: metrics[index], ...meanStd(metrics[index]), rank: 0, errors: errors[index] }));
  rankTrials(trials, evaluator.isLargerBetter);
  const best = trials.find((t) => t.rank === 1 && !Number.isNaN(t.mean));
  if (!best) {
    const why = trials.flatMap((t) => t.errors).slice(0, 3).join("; ");
    throw new InputError("E_NUMERIC", `tune: every param map scored NaN on ${evaluator.metricKey}${why ? ` (${why})` : ""}; if the model predicts NaN for users or items unseen in a fold, set coldStartStrategy: drop`);
  }
  const summary: TuneSummary = {
    type: tuner.type,
    metric: evaluator.metricKey,
    isLargerBetter: evaluator.isLargerBetter,
    folds: numFolds,
    paramMaps: maps.length,
    best: Object.fromEntries(best.params.entries.map((e) => [`${e.stage}.${e.param}`, e.value])),
    bestMetric: best.mean,
    avgMetrics: trials.map((t) => t.mean),
    stdMetrics: trials.map((t) => t.std),
    failedTrials: trials.reduce((s, t) => s + t.errors.length, 0),
    failures: trials.filter((t) => t.errors.length > 0).map((t) => ({ params: Object.fromEntries(t.params.entries.map((e) => [`${e.stage}.${e.param}`, e.value])), errors: t.errors })),
    grid: maps.map((m) => Object.fromEntries(m.entries.map((e) => [`${e.stage}.${e.param}`, e.value]))),
    baselines: Object.fromEntries([...baselineFolds].map(([name, fm]) => [name, { foldMetrics: fm, ...meanStd(fm) }])),
  };
  return { tuner, evaluator, maps, trials, bestIndex: best.index, bestStages: candidates[best.index], summary };
}

interface Fold {
  fit: Table;
  validate: Table;
}

function foldsOf(tuner: TunerSettings, train: Table, seed: number): Fold[] {
  const n = train.numRows;
  if (tuner.type === "train-validation-split") {
    const ratio = tuner.params.trainRatio as number;
    const rng = new SeededRandom(seed);
    const inFit = new Uint8Array(n);
    for (let i = 0; i < n; i++) inFit[i] = rng.nextDouble() < ratio ? 1 : 0;
    return [split(train, inFit, 1)];
  }
  const k = tuner.params.numFolds as number;
  const foldOf = new Int32Array(n);
  const foldCol = tuner.params.foldCol as string;
  if (foldCol) {
    const v = float64Column(train, foldCol, `tune (${tuner.name}).foldCol`);
    for (let i = 0; i < n; i++) {
      const f = v[i];
      if (!Number.isInteger(f) || f < 0 || f >= k) {
        throw new InputError("E_DATA", `tune (${tuner.name}).foldCol: column "${foldCol}" must hold integers in [0, numFolds=${k}); row ${i} has ${f}`);
      }
      foldOf[i] = f;
    }
  } else {
    const rng = new SeededRandom(seed);
    for (let i = 0; i < n; i++) foldOf[i] = Math.min(k - 1, Math.floor(rng.nextDouble() * k));
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const inFit = new Uint8Array(n);
    let validating = 0;
    for (let i = 0; i < n; i++) {
      inFit[i] = foldOf[i] === f ? 0 : 1;
      validating += 1 - inFit[i];
    }
    if (validating === 0) throw new InputError("E_DATA", `tune (${tuner.name}): fold ${f} of ${k} is empty (${n} training rows${foldCol ? `, foldCol "${foldCol}"` : ""})`);
    folds.push(split(train, inFit, 1));
  }
  return folds;
}

function split(table: Table, inFit: Uint8Array, fitValue: number): Fold {
  let nFit = 0;
  for (let i = 0; i < inFit.length; i++) nFit += inFit[i] === fitValue ? 1 : 0;
  const fit = new Int32Array(nFit);
  const val = new Int32Array(inFit.length - nFit);
  for (let i = 0, a = 0, b = 0; i < inFit.length; i++) {
    if (inFit[i] === fitValue) fit[a++] = i;
    else val[b++] = i;
  }
  return { fit: takeRows(table, fit), validate: takeRows(table, val) };
}

function applyParamMap(stages: PipelineStage[], m: ParamMap, registry: StageRegistry): PipelineStage[] {
  const by = overridesByStage(m);
  return stages.map((s) => {
    const o = by.get(s.name);
    if (!o) return s;
    if (s.role === "estimator") return s.withParams(o);
    // A transformer has nothing to fit: a copy built from its definition with the params replaced (Spark's
    // ParamMap applies to any PipelineStage of the estimator, transformers included).
    return rebuildWithParams(registry.get(s.type), s.params, { uid: s.uid, name: s.name, explicitParams: s.explicitParams }, o) as PipelineStage;
  });
}

/** Mean and population standard deviation (numpy's np.std, as PySpark's stdMetrics). NaN if any fold is NaN. */
function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / xs.length);
  return { mean, std };
}

/** Rank 1 is the best mean; ties keep grid order (Spark: first index wins); NaN means rank after every number. */
function rankTrials(trials: TrialResult[], larger: boolean): void {
  const order = [...trials].sort((a, b) => {
    const an = Number.isNaN(a.mean), bn = Number.isNaN(b.mean);
    if (an || bn) return an === bn ? a.index - b.index : an ? 1 : -1;
    if (a.mean !== b.mean) return larger ? b.mean - a.mean : a.mean - b.mean;
    return a.index - b.index;
  });
  order.forEach((t, i) => (t.rank = i + 1));
}
