/**
 * The stages the Spark Connect engine can run, one file each. The engine finds a stage's RemoteStage by its
 * definition (`remoteStageOf`) and acts on what it declares (className and params, resolve, fetch, candidates, split,
 * metric, baseline), never on a type name. A stage without one is refused before connecting (remote-support.ts).
 *
 * To make a new stage Spark-runnable: write the stage in stages/ as usual, then one file here that exports
 * `defineRemoteStage({ definition: yourStage, runs: "ml", className: "org.apache.spark.ml....", params: {...} })`
 * (plus `fetch` if it is an estimator whose fitted state must come back), and add it to the list below.
 */
import type { StageDefinition } from "../../../core/define-stage.js";
import { alsRemote } from "./als.js";
import { binarizerRemote } from "./binarizer.js";
import { crossValidatorRemote } from "./cross-validator.js";
import { dropDuplicatesRemote } from "./drop-duplicates.js";
import { dropNaRemote } from "./drop-na.js";
import { globalMeanRemote } from "./global-mean.js";
import { indexToStringRemote } from "./index-to-string.js";
import { minCountFilterRemote } from "./min-count-filter.js";
import { mostPopularRemote } from "./most-popular.js";
import { noSplitRemote } from "./none.js";
import { randomSplitRemote } from "./random-split.js";
import { rankingEvaluatorRemote } from "./ranking-evaluator.js";
import { regressionEvaluatorRemote } from "./regression-evaluator.js";
import { sqlTransformerRemote } from "./sql-transformer.js";
import type { RemoteStage } from "./remote-stage.js";
import { stringIndexerRemote } from "./string-indexer.js";
import { trainValidationSplitRemote } from "./train-validation-split.js";

/** In the order baselines are reported (global-mean before most-popular). */
export const remoteStages: readonly RemoteStage[] = [
  alsRemote,
  stringIndexerRemote,
  indexToStringRemote,
  sqlTransformerRemote,
  randomSplitRemote,
  noSplitRemote,
  regressionEvaluatorRemote,
  rankingEvaluatorRemote,
  globalMeanRemote,
  mostPopularRemote,
  crossValidatorRemote,
  trainValidationSplitRemote,
  binarizerRemote,
  dropNaRemote,
  dropDuplicatesRemote,
  minCountFilterRemote,
];

const byDefinition = new Map<StageDefinition, RemoteStage>(remoteStages.map((r) => [r.definition, r]));

/** How `definition` runs on Spark, or undefined when it does not. */
export function remoteStageOf(definition: StageDefinition): RemoteStage | undefined {
  return byDefinition.get(definition);
}

export type { BaselineRows, FittedRemoteStage, PrepareContext, PrepareRows, RemoteBaseline, RemoteStage, SparkRefusal } from "./remote-stage.js";
export { fieldsOf, POSITION_COL } from "./row-position.js";
export type { Candidates, RankingData } from "./ranking-sql.js";
