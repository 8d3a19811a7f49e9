import type { TunerSettings } from "../core/define-stage.js";
import type { Evaluator, PipelineStage } from "../core/stage.js";
import type { ParamMap } from "../spec/param-grid.js";

/** What a param-grid search found (src/run/tune.ts): every trial, the best, and the summary the run directory keeps. */
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
