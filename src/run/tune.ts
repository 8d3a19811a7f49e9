import { rebuildWithParams } from "../core/define-stage.js";
import type { StageRegistry } from "../core/registry.js";
import { InputError, isInputError } from "../core/errors.js";
import type { RunContext } from "../core/run-context.js";
import type { Evaluator, PipelineStage } from "../core/stage.js";
import type { TrialEngine } from "../engines/engine.js";
import type { TrialResult, TuneResult, TuneSummary } from "../model/tune-result.js";
import { buildFromSpec, buildTuner } from "../spec/build-stages.js";
import type { LoadedPipeline } from "../spec/load-pipeline-file.js";
import { describeParamMap, expandGrid, overridesByStage, type ParamMap } from "../spec/param-grid.js";

/**
 * Cross-validation or train-validation split over the param grid, on the TRAINING rows only; the test split is never
 * seen here (no leakage). One algorithm whichever engine runs the trials (see TrialEngine): trials run `parallelism`
 * at a time, each with its share of the workers; since every fit is deterministic for any worker count and every
 * trial uses the pipeline seed, results equal those of parallelism 1.
 */
export async function searchParamGrid(
  loaded: LoadedPipeline,
  stages: PipelineStage[],
  ctxFor: (name: string) => RunContext,
  engine: TrialEngine,
): Promise<TuneResult> {
  const spec = loaded.spec.tune!;
  const tuner = buildTuner(loaded.registry, spec, loaded.spec.seed);
  const evaluator = buildFromSpec<Evaluator>(loaded.registry, spec.evaluator, loaded.spec.seed, "evaluator");
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

  const trials = maps.map<TrialResult>((params, index) => ({
    index,
    params,
    foldMetrics: metrics[index],
    ...meanStd(metrics[index]),
    rank: 0,
    errors: errors[index],
  }));
  rankTrials(trials, evaluator.isLargerBetter);
  const best = trials.find((t) => t.rank === 1 && !Number.isNaN(t.mean));
  if (!best) {
    const why = trials
      .flatMap((t) => t.errors)
      .slice(0, 3)
      .join("; ");
    throw new InputError(
      "E_NUMERIC",
      `tune: every param map scored NaN on ${evaluator.metricKey}${why ? ` (${why})` : ""}; if the model predicts NaN for users or items unseen in a fold, set coldStartStrategy: drop`,
    );
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
    failures: trials
      .filter((t) => t.errors.length > 0)
      .map((t) => ({ params: Object.fromEntries(t.params.entries.map((e) => [`${e.stage}.${e.param}`, e.value])), errors: t.errors })),
    grid: maps.map((m) => Object.fromEntries(m.entries.map((e) => [`${e.stage}.${e.param}`, e.value]))),
    baselines: Object.fromEntries([...baselineFolds].map(([name, fm]) => [name, { foldMetrics: fm, ...meanStd(fm) }])),
  };
  return { tuner, evaluator, maps, trials, bestIndex: best.index, bestStages: candidates[best.index], summary };
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
    const an = Number.isNaN(a.mean),
      bn = Number.isNaN(b.mean);
    if (an || bn) return an === bn ? a.index - b.index : an ? 1 : -1;
    if (a.mean !== b.mean) return larger ? b.mean - a.mean : a.mean - b.mean;
    return a.index - b.index;
  });
  order.forEach((t, i) => (t.rank = i + 1));
}
