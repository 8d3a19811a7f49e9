/**
 * recpipe's public API: the same things the YAML uses, typed. Tables are apache-arrow Tables.
 * Running a pipeline from code (`run`) and from the CLI gives the same result.
 */
export { z } from "zod";
export { defineStage, buildStage, type StageDefinition, type StageInfo, type StageRole } from "./core/define-stage.js";
export { StageRegistry } from "./core/registry.js";
export { InputError, RecpipeError, type ErrorCode } from "./core/errors.js";
export { quietContext, type RunContext, type ProgressSink } from "./core/run-context.js";
export type {
  Estimator,
  Transformer,
  Model,
  Evaluator,
  Splitter,
  Recommender,
  RecommendationLists,
  ItemRecommendationLists,
  EvaluationInput,
} from "./core/stage.js";
export type { SavedStage } from "./core/saved-stage.js";
// For plugin stages (docs/plugins.md): the column checks and Arrow helpers the built-in stages use.
export { float64Column, requireNumeric, schemaWith, withColumns } from "./core/table.js";
export { SeededRandom, spawnSeed } from "./core/rng.js";
export { builtinStages, createRegistry } from "../stages/index.js";
export { als } from "../stages/als/index.js";
export { stringIndexer } from "../stages/string-indexer.js";
export { indexToString } from "../stages/index-to-string.js";
export { randomSplit } from "../stages/random-split.js";
export { regressionEvaluator } from "../stages/regression-evaluator.js";
export { rankingEvaluator } from "../stages/ranking-evaluator.js";
export { crossValidator } from "../stages/cross-validator.js";
export { trainValidationSplit } from "../stages/train-validation-split.js";
export { globalMean } from "../stages/global-mean.js";
export { biasBaseline } from "../stages/bias-baseline.js";
export { PipelineModel, fitPipeline } from "./model/pipeline-model.js";
export { loadPipelineFile, type LoadedPipeline } from "./spec/load-pipeline-file.js";
export { run, type RunOptions, type RunResult } from "./run/run.js";
export { loadModel, type LoadedModel } from "./model/load-model.js";
export { syntheticRatings } from "./io/synthetic-ratings.js";
export { readTable, type ReadOptions } from "./io/read-table.js";
export { writeTable } from "./io/write-table.js";
export { saveModel, loadSavedStage } from "./io/model-store.js";
// Tracking in MLflow from code: resolve the server (as the CLI does), connect before the run, log its directory after.
export { resolveTrackingTarget, type TrackingTarget } from "./tracking/tracking-target.js";
export { connectToMlflow, type TrackingSession } from "./tracking/connect.js";
export { readFinishedRun } from "./tracking/finished-run.js";
export { logFinishedRun, TrackingIncompleteError, type LoggedRun } from "./tracking/log-run.js";
