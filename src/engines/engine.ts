import type { ItemAttributes } from "../model/item-attributes.js";
import type { FunnelStep } from "../prepare/funnel.js";
import type { Transformer } from "../core/stage.js";
import type { Table } from "apache-arrow";
import type { TunerSettings } from "../core/define-stage.js";
import type { RunContext } from "../core/run-context.js";
import type { Evaluator, PipelineStage, Splitter } from "../core/stage.js";
import type { PipelineModel } from "../model/pipeline-model.js";
import type { RecommendationsTable } from "../model/recommendations-table.js";
import type { LoadedPipeline } from "../spec/load-pipeline-file.js";

/**
 * Where a run's work happens. The one orchestrator (src/run/run.ts) calls these phases in order and never asks which
 * engine it holds: the local engine (Arrow tables, WASM kernels) and the Spark Connect engine (a cluster) each keep
 * their own rules inside (the local shared top-k; the remote fetch-before-evaluate, released refs, Ctrl-C cleanup).
 * `Data` is where the rows live (an Arrow Table, a Spark relation); `Fitted` a fitted pipeline there.
 */
export interface Engine<Data = unknown, Fitted = unknown> {
  /** The engine as the manifest records it (absent: the local engine). */
  readonly record?: EngineRecord;
  /** Reads the pipeline's source and checks every column and type across the prepare `steps` and `stages` before any fit. */
  load(stages: readonly PipelineStage[], steps?: readonly PrepareStep[]): Promise<LoadedData<Data>>;
  /**
   * Applies the data-preparation steps, in order, before the split: the rows left (undefined: the source's, unchanged)
   * and the funnel when the engine counts one. The funnel is read only when the run is written, so an engine may still
   * be counting it (the local source counts of a run without prepare:, on a worker beside the split).
   */
  prepare(data: Data, steps: readonly PrepareStep[]): Promise<{ data: Data; rows?: number; funnel?: Promise<FunnelStep[]> }>;
  /** `reuseInput`: the run reads `data` row by row no more, so a local split may reuse its buffers (Splitter.split). */
  split(data: Data, splitter: Splitter, ctx: RunContext, reuseInput?: boolean): Promise<SplitData<Data>>;
  /** How tuning trials run here; the search itself is src/run/tune.ts. */
  trials(train: Data): TrialEngine;
  /** Fits the pipeline on `rows`; `what` names the fit in messages ("" for the model, "on every row" for a refit). */
  fit(stages: readonly PipelineStage[], rows: Data, what: string): Promise<Fitted>;
  /** The fitted pipeline as a local model (the one the run directory saves): fetched back from a cluster at once. */
  fetch(fitted: Fitted): Promise<PipelineModel>;
  /** Test metrics; `recommendsLater`: this model also recommends, so the engine may keep work for recommend(). */
  evaluate(fitted: Fitted, evaluators: readonly Evaluator[], train: Data, test: Data, recommendsLater: boolean): Promise<Record<string, number>>;
  /** The regression metrics on the training rows (over-fitting shows as a gap to the test metrics). */
  trainMetrics(fitted: Fitted, evaluators: readonly Evaluator[], train: Data): Promise<Record<string, number>>;
  baselines(fitted: Fitted, evaluators: readonly Evaluator[], train: Data, test: Data): Promise<Record<string, Record<string, number>>>;
  recommend(fitted: Fitted, model: PipelineModel, spec: RecommendSpec, seen: Data): Promise<RecommendationsTable | undefined>;
  /** A few users' lists for report.html when the run has none and the report cannot compute them from local rows. */
  reportRecommendations(fitted: Fitted, model: PipelineModel, seen: Data, made: RecommendationsTable | undefined): Promise<RecommendationsTable | undefined>;
  /** The `items:` attributes of the model's items, joined into recommendations and saved beside the model (local engine only: --remote refuses `items`). */
  itemAttributes?(model: PipelineModel): ItemAttributes | undefined;
  /** What the engine keeps of the final model beyond the run directory (Spark Connect: --remote-model-path). */
  keep(fitted: Fitted, uid: string): Promise<void>;
  /** Frees a fitted pipeline's resources (server-side models); the local engine holds none. */
  release(fitted: Fitted): Promise<void>;
  /** The rows as a local table, when this process holds them (the report and the run directory use them). */
  localTable(data: Data): Table | undefined;
  /** The error to throw for `e` (an interrupted remote run says what it stopped). */
  failure(e: unknown, phase?: string): Promise<unknown>;
  /** Ends the engine's session: everything still held is released. Called once, after success or failure. */
  close(): Promise<void>;
}

/** What every engine is handed when a run starts. */
export interface EngineSetup {
  loaded: LoadedPipeline;
  /** The run's context (workers, progress, log, warn); the seed is the pipeline's. */
  base: RunContext;
  /** A context whose seed is derived from the pipeline seed and `name` (spawnSeed), as every phase uses. */
  ctxFor(name: string): RunContext;
  /** Times an engine-only phase ("fetch", "save-on-cluster") in the run's timings. */
  time<T>(phase: string, fn: () => T | Promise<T>): Promise<T>;
  /** `recpipe/<version>`: how the engine names itself to a server. */
  client: string;
}

/** How an engine is chosen and started: the orchestrator picks one (src/run/pick-engine.ts) and starts it. */
export interface EngineKind {
  /** Whether plugin stages (code from the pipeline file's `plugins`) can run on this engine. */
  readonly runsPlugins: boolean;
  /** Workers when the user gives none. */
  defaultWorkers(): number;
  start(setup: EngineSetup): Promise<Engine>;
}

/** What the manifest records about an input: enough to tell whether a re-run saw the same bytes. */
export interface InputRecord {
  kind: "file" | "synthetic";
  path?: string;
  bytes?: number;
  sha256?: string;
  rows: number;
  params?: Record<string, unknown>;
}

export interface LoadedData<Data> {
  data: Data;
  rows: number;
  input: InputRecord;
  /** The rows as a local table, when this process read them. */
  table?: Table;
  /** The `items:` attribute file, when the run names one (recorded in the manifest's inputs). */
  itemsInput?: InputRecord;
}

export interface SplitData<Data> {
  train: Data;
  /** Absent when the split keeps every row for training (split: none on a cluster). */
  test?: Data;
  rows: { train: number; test: number };
}

/** One data-preparation step of the run (filters, SQL): applied by `Engine.prepare` between read and split. */
export interface PrepareStep {
  readonly name: string;
  /** The step's stage (any transformer: drop-na, drop-duplicates, sql-transformer, ...). */
  readonly stage: Transformer;
}

export type RecommendSpec = NonNullable<LoadedPipeline["spec"]["recommend"]>;

/** The engine as the manifest records it: never a token (the URL is recorded without it). */
export interface EngineRecord {
  name: "local" | "spark-connect";
  sparkVersion?: string;
  remote?: string;
}

export interface TrialScore {
  metric: number;
  baselines?: Record<string, Record<string, number>>;
}

/**
 * How trials run: locally on Arrow tables, or on a Spark cluster. The search itself (grid order, folds, parallelism,
 * selection, ranking, refit params) is one algorithm, `searchParamGrid` (src/run/tune.ts), whichever engine runs them.
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

/** One fold draw or a k-fold draw: told by the tuner's own params (train-validation-split has a trainRatio). */
export function drawsOneFold(tuner: TunerSettings): boolean {
  return typeof tuner.params.trainRatio === "number";
}
