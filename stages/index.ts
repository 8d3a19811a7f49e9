import type { StageDefinition } from "../src/core/define-stage.js";
import { StageRegistry } from "../src/core/registry.js";
import { als } from "./als/index.js";
import { biasBaseline } from "./bias-baseline.js";
import { binarizer } from "./binarizer.js";
import { crossValidator } from "./cross-validator.js";
import { dropDuplicates } from "./drop-duplicates.js";
import { dropNa } from "./drop-na.js";
import { globalMean } from "./global-mean.js";
import { indexToString } from "./index-to-string.js";
import { itemKnn } from "./item-knn/index.js";
import { leaveLastOut } from "./leave-last-out.js";
import { minCountFilter } from "./min-count-filter.js";
import { mostPopular } from "./most-popular.js";
import { noSplit } from "./none.js";
import { randomSplit } from "./random-split.js";
import { rankingEvaluator } from "./ranking-evaluator.js";
import { regressionEvaluator } from "./regression-evaluator.js";
import { sqlTransformer } from "./sql-transformer.js";
import { stratifiedSplit } from "./stratified-split.js";
import { stringIndexer } from "./string-indexer.js";
import { temporalSplit } from "./temporal-split.js";
import { trainValidationSplit } from "./train-validation-split.js";

/** Every built-in stage, one line each. The registry refuses duplicate types. */
export const builtinStages: readonly StageDefinition[] = [
  stringIndexer,
  als,
  itemKnn,
  indexToString,
  sqlTransformer,
  globalMean,
  biasBaseline,
  mostPopular,
  randomSplit,
  stratifiedSplit,
  temporalSplit,
  leaveLastOut,
  noSplit,
  regressionEvaluator,
  rankingEvaluator,
  crossValidator,
  trainValidationSplit,
  // Data preparation (prepare: and, for binarizer, pipeline:).
  binarizer,
  dropNa,
  dropDuplicates,
  minCountFilter,
];

export function createRegistry(): StageRegistry {
  return new StageRegistry(builtinStages);
}
