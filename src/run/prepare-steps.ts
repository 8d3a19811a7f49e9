import type { Transformer } from "../core/stage.js";
import type { PrepareStep } from "../engines/engine.js";
import { buildFromSpec } from "../spec/build-stages.js";
import type { LoadedPipeline } from "../spec/load-pipeline-file.js";

/**
 * The `prepare:` steps of a pipeline file, built (any transformer stage), in the order `Engine.prepare` applies them
 * between reading and splitting.
 */
export function prepareSteps(loaded: LoadedPipeline): PrepareStep[] {
  const { spec, registry } = loaded;
  return spec.prepare.map((s) => ({ name: s.name, stage: buildFromSpec<Transformer>(registry, s, spec.seed, "transformer") }));
}
