import type { StageDefinition } from "../src/core/define-stage.js";
import { StageRegistry } from "../src/core/registry.js";
import { globalMean } from "./global-mean.js";
import { indexToString } from "./index-to-string.js";
import { stringIndexer } from "./string-indexer.js";

/** Every built-in stage, one line each. The registry refuses duplicate types. */
export const builtinStages: readonly StageDefinition[] = [
  globalMean,
  stringIndexer,
  indexToString,
];

export function createRegistry(): StageRegistry {
  return new StageRegistry(builtinStages);
}
