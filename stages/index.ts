import type { StageDefinition } from "../src/core/define-stage.js";
import { StageRegistry } from "../src/core/registry.js";
import { crossValidator } from "./cross-validator.js";
import { globalMean } from "./global-mean.js";
import { trainValidationSplit } from "./train-validation-split.js";

/** Every built-in stage, one line each. The registry refuses duplicate types. */
export const builtinStages: readonly StageDefinition[] = [
  globalMean,
  crossValidator,
  trainValidationSplit,
];

export function createRegistry(): StageRegistry {
  return new StageRegistry(builtinStages);
}
