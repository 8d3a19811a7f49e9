import type { Schema, Table } from "apache-arrow";
import type { SavedStage } from "./saved-stage.js";
import type { RunContext } from "./run-context.js";

/**
 * The contracts every stage implements (Spark's Transformer / Estimator / Model / Evaluator split).
 * A stage's params are frozen when it is built; `fit` returns a new Model and never mutates the estimator,
 * so an unfitted model cannot exist (Spark's Estimator/Model split).
 */
export interface StageBase {
  /** The YAML type, e.g. "string-indexer". */
  readonly type: string;
  /** Spark-style uid, e.g. "strIdx_4f3a9c2d1b0e": prefix from the definition, suffix derived from the seed and name. */
  readonly uid: string;
  /** The name that addresses the stage in `--set` and tuning grids (default: its type). */
  readonly name: string;
  /** Every param with defaults applied. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Names of params the user set explicitly (Spark's paramMap vs defaultParamMap). */
  readonly explicitParams: ReadonlySet<string>;
}

export interface Transformer extends StageBase {
  readonly role: "transformer";
  /** Output schema for an input schema, checked before any data is read; throws InputError for a missing or mistyped column. */
  transformSchema(schema: Schema): Schema;
  transform(table: Table, ctx: RunContext): Table | Promise<Table>;
  /**
   * Frees what the stage keeps for its next use (the SQL engine), once a prepare step is done with a large table:
   * the steps after it then do not carry it in their peak memory. The next use starts it again.
   */
  release?(): Promise<void>;
  /** Spark-layout persistence (a transformer with no learned state saves its params only). */
  save(): SavedStage;
}

export interface Estimator extends StageBase {
  readonly role: "estimator";
  transformSchema(schema: Schema): Schema;
  fit(table: Table, ctx: RunContext): Promise<Model>;
  /** A copy with some params replaced (tuning); validates the new values against the stage's schema. */
  withParams(overrides: Record<string, unknown>): Estimator;
  /** Spark's DefaultParamsWriter output for the unfitted estimator (used inside CrossValidatorModel/estimator). */
  save(): SavedStage;
}

/** A fitted model: a transformer produced by an estimator. */
export interface Model extends Omit<Transformer, "role"> {
  readonly role: "model";
  /** Per-iteration training history, when the estimator records one (ALS loss per sweep). */
  readonly trainingHistory?: readonly number[];
  /** Params a fitted model lets you change at use (Spark's model setters, e.g. ALSModel.setColdStartStrategy). */
  readonly settableParams?: readonly string[];
  /** A copy with some of `settableParams` replaced, validated against the stage's schema; the learned state is shared. */
  withParams?(overrides: Record<string, unknown>): Model;
}

export type PipelineStage = Transformer | Estimator;
export type FittedStage = Transformer | Model;

/** A model that can rank items for users (ALS, baselines): used by ranking evaluators and `recommend`. */
export interface Recommender {
  readonly userCol: string;
  readonly itemCol: string;
  /** Users and items the model knows, ascending. */
  knownUsers(): Int32Array;
  knownItems(): Int32Array;
  /**
   * Top `k` items for each user in `users` (unknown users get an empty list), score descending, ties to the larger id.
   * `exclude` lists (user, item) pairs never to return (already seen in training).
   */
  recommendForUsers(users: Int32Array, k: number, ctx: RunContext, exclude?: { users: Int32Array; items: Int32Array }): Promise<RecommendationLists>;
  /**
   * The other direction (Spark's recommendForAllItems / recommendForItemSubset): the top `k` users for each item in
   * `items`, score descending, ties to the larger id; unknown items get an empty list. `exclude` lists (user, item)
   * pairs never to return. Optional: a model whose scores do not rank users per item (popularity) leaves it out.
   */
  recommendForItems?(items: Int32Array, k: number, ctx: RunContext, exclude?: { users: Int32Array; items: Int32Array }): Promise<ItemRecommendationLists>;
}

/** Top users per item: row q holds counts[q] user ids for items[q] in users[q*k ..], best first; -1 / NaN pad. */
export interface ItemRecommendationLists {
  items: Int32Array;
  users: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
  k: number;
}

export interface RecommendationLists {
  users: Int32Array;
  /** users.length * k item ids, -1 where a user has fewer than k. */
  items: Int32Array;
  scores: Float32Array;
  /** Number of valid entries per user. */
  counts: Int32Array;
  k: number;
}

export function isRecommender(x: unknown): x is Recommender {
  return typeof x === "object" && x !== null && typeof (x as Recommender).recommendForUsers === "function";
}

/** What an evaluator receives: the fitted pipeline's output on the evaluation rows, plus what ranking needs. */
export interface EvaluationInput {
  /** Output of the fitted pipeline's transform on the evaluation rows. */
  predictions: Table;
  /** The fitted pipeline's recommender stage, if any (ranking metrics need it). */
  recommender?: Recommender;
  /** Training rows after the pipeline's transform (item indices), to exclude seen items from ranking. */
  trainTransformed?: Table;
  /** Evaluation rows after the pipeline's feature stages but before dropping cold-start rows. */
  testTransformed?: Table;
  /**
   * Top-k lists of `topKRecommender` for at least every test user, seen training items excluded, with some k: computed
   * once when a run both evaluates ranking metrics and recommends, and shared by the two.
   */
  topK?: RecommendationLists;
  topKRecommender?: Recommender;
}

export interface Evaluator extends StageBase {
  readonly role: "evaluator";
  /** The key under which the metric is reported, e.g. "rmse" or "ndcgAtK@10". */
  readonly metricKey: string;
  readonly isLargerBetter: boolean;
  /** True when the evaluator needs a Recommender (ranking metrics). */
  readonly needsRecommender: boolean;
  /**
   * False when `evaluate` never reads `input.predictions` once `testTransformed` is given (the ranking metrics read
   * the test rows and the recommender's lists): the run then skips predicting every test row. Absent means it reads them.
   */
  readonly readsPredictions?: boolean;
  evaluate(input: EvaluationInput, ctx: RunContext): Promise<number>;
  save(): SavedStage;
}

/** Produces train and test from the input table (random-split, stratified-split, ...). */
export interface Splitter extends StageBase {
  readonly role: "split";
  /**
   * `reuseInput`: the caller reads `table` row by row no more (nothing but per-column summaries), so a splitter may
   * move its rows inside its own buffers and return views of them rather than copy them (random-split does).
   */
  split(table: Table, ctx: RunContext, opts?: { reuseInput?: boolean }): { train: Table; test: Table };
}

/**
 * A fitted stage that maps an output index column back to original labels (StringIndexerModel): used to show
 * recommendations with the user's own ids.
 */
export interface IndexLabels {
  /** Labels for an output column of this stage (index i -> labels[i]), or undefined if the column is not its output. */
  labelsFor(outputCol: string): readonly string[] | undefined;
  /** The input column that produced an output column. */
  inputColFor(outputCol: string): string | undefined;
}

export function hasIndexLabels(x: unknown): x is IndexLabels {
  return typeof x === "object" && x !== null && typeof (x as IndexLabels).labelsFor === "function";
}

/**
 * A stage whose labels come from an earlier fitted stage (index-to-string's `labelsFrom`): the pipeline resolves
 * them when that stage has been fitted.
 */
export interface NeedsLabels {
  /** The name of the earlier stage to take labels from, or undefined once labels are known. */
  readonly labelsSource: string | undefined;
  /** The column whose labels are wanted (matched against the earlier stage's output columns). */
  readonly labelsColumn: string;
  withLabels(labels: readonly string[]): PipelineStage;
}

export function needsLabels(x: unknown): x is NeedsLabels {
  return typeof x === "object" && x !== null && typeof (x as NeedsLabels).withLabels === "function" && (x as NeedsLabels).labelsSource !== undefined;
}
