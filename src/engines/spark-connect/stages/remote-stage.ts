import type { StageDefinition } from "../../../core/define-stage.js";
import type { SavedStage } from "../../../core/saved-stage.js";
import type { Evaluator, PipelineStage } from "../../../core/stage.js";
import type { Relation } from "../gen/spark/connect/relations_pb.js";
import type { Candidates, RankingData } from "./ranking-sql.js";
import type { SparkParamType } from "../transport/literal.js";
import type { ModelRef, SparkMl, SparkOperator } from "../transport/ml.js";

/** Why a stage, as configured, cannot run remotely: the key to change and the reason. */
export interface SparkRefusal {
  key: string;
  reason: string;
}

/** The rows a prepare step works on, on the cluster: the relation, and whether it carries the file position column. */
export interface PrepareRows {
  rel: Relation;
  /** The relation holds POSITION_COL (stages/row-position.ts): each row's position in the source as read. */
  positioned: boolean;
}

/** What a prepare step's Spark plan is handed besides its rows. */
export interface PrepareContext {
  ml: SparkMl;
  /** A key of the step as its local messages name it (`drop-duplicates.keep`): the engine re-addresses it to `prepare[i]`. */
  where(key: string): string;
  /** Caches a relation on the cluster until the run ends (an iterated plan reads its last round from the cache). */
  cache(rel: Relation): Promise<void>;
}

/** A stage fitted (or applied) on the cluster, as the engine holds it: what it came from and its server-side model. */
export interface FittedRemoteStage {
  stage: PipelineStage;
  remote: RemoteStage;
  op: SparkOperator;
  model?: ModelRef;
}

/**
 * How one stage runs on a Spark cluster: declared in one file per stage beside this one, never in the stage itself
 * (stages never talk to a server). The engine looks a stage's RemoteStage up by its definition (stages/index.ts) and
 * then acts on what the RemoteStage can do, never on the stage's type name.
 */
export interface RemoteStage<P = Record<string, unknown>> {
  /** The stage this runs remotely (its defineStage() declaration). */
  readonly definition: StageDefinition;
  /**
   * `ml`: a Spark ML operator (JVM class `className`) fitted, applied or evaluated by the server;
   * `sql`: the engine computes it with Spark SQL (splits, recpipe's ranking metrics, baselines);
   * `client`: the engine drives it from the client (tuning, as PySpark does over Connect).
   */
  readonly runs: "ml" | "sql" | "client";
  /** JVM class sent to the server (`ml` only); it must be on the server's ML allowlist. */
  readonly className?: string;
  /** recpipe params sent to Spark under the same name, with their Spark type. Params not listed are not sent. */
  readonly params?: Readonly<Record<string, SparkParamType>>;
  /** Checked before any cluster work: a setting Spark cannot express. */
  refuse?(params: P): SparkRefusal | undefined;
  /** Params that come from stages fitted before this one (IndexToString's labelsFrom: the indexer's labels). */
  resolve?(ml: SparkMl, op: SparkOperator, stage: PipelineStage, before: readonly FittedRemoteStage[]): Promise<SparkOperator>;
  /** How the fitted state comes back: the stage saved in Spark's layout, then read by the stage's own loader. */
  fetch?(ml: SparkMl, model: ModelRef, saved: SavedStage, name: string): Promise<SavedStage>;
  /** A fitted recommender: its ranked candidates for ranking metrics (and the pipeline's recommender is the last). */
  candidates?(ml: SparkMl, model: ModelRef, userCol: string, itemCol: string): Candidates;
  /** A splitter: the train and (absent: none) test relations. `seed` is the run's derived split seed. */
  split?(data: Relation, params: Readonly<Record<string, unknown>>, seed: number): { train: Relation; test?: Relation };
  /**
   * An evaluator computing one of Spark's RegressionMetrics (rmse, mse, mae, r2, var) from a label and a prediction
   * column: true where the engine may compute it for several sides at once in one Spark job (regression-metrics-sql.ts,
   * unit weights only), instead of asking Spark's evaluator once per side.
   */
  inOneRegressionJob?(params: P): boolean;
  /** An evaluator recpipe computes itself in SQL (a ranking metric); without it, Spark's evaluator `className` runs. */
  metric?(ml: SparkMl, ev: Evaluator, data: RankingData | undefined, candidates: Candidates | undefined, what: string): Promise<number>;
  /**
   * A prepare step computed as a Spark plan (drop-na, drop-duplicates, min-count-filter), with the local step's exact
   * semantics. Without it, a prepare step of `runs: "ml"` is applied as its Spark transformer (binarizer, SQL).
   */
  prepare?(rows: PrepareRows, params: P, ctx: PrepareContext): Promise<PrepareRows>;
  /** The prepare step reads the rows' file position (ties in drop-duplicates): the engine attaches it when it reads. */
  readsPosition?: boolean;
  /**
   * A transformer that keeps every input column and the rows' order (binarizer; a sql-transformer that only filters):
   * the position column passes through it. Without it the column is dropped before the step.
   */
  keepsColumns?: boolean | ((params: P) => boolean);
  /**
   * How the transformer is applied on the cluster when not as `op` alone (binarizer: its inputs cast to double first),
   * in the pipeline, in its fitted model and as a prepare step. `op` is what is saved; this changes only the plan.
   */
  apply?(ml: SparkMl, op: SparkOperator, input: Relation): Relation;
  /** The key a Spark analysis error of this transformer as a prepare step is reported at (sql-transformer: statement). */
  checkedKey?(params: P): string;
  /** A baseline the report shows: which evaluators score it, and its scored output or candidates. */
  baseline?: RemoteBaseline;
}

/** A baseline scored on the cluster with the run's own evaluators, over the rows the model saw. */
export interface RemoteBaseline {
  /** The evaluators this baseline is scored by (global-mean: the regression ones; most-popular: the ranking ones). */
  scoredBy(ev: Evaluator): boolean;
  /** Needs the recommender's rows (ranking data); without them the baseline is left out. */
  needsRankingData: boolean;
  /** Scores `ev` on the test rows; `sparkEvaluate` runs the evaluator's own Spark operator over scored rows. */
  score(ml: SparkMl, ev: Evaluator, rows: BaselineRows): Promise<number>;
}

export interface BaselineRows {
  /** The rows the recommender saw when the pipeline has one (its input), else the split's. */
  train: Relation;
  test: Relation;
  ranking?: RankingData;
  sparkEvaluate(scored: Relation): Promise<number>;
}

export function defineRemoteStage<P>(remote: RemoteStage<P>): RemoteStage {
  return Object.freeze(remote) as RemoteStage;
}
