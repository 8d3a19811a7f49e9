import type { PrepareStep } from "../engines/engine.js";
import type { LoadedPipeline } from "../spec/load-pipeline-file.js";

/**
 * The data-preparation steps a pipeline file asks for, in the order `Engine.prepare` applies them between reading
 * and splitting. None exist yet: this is where they are listed when they land (each engine then applies them).
 */
export function prepareSteps(_loaded: LoadedPipeline): PrepareStep[] {
  return [];
}
