import type { StageRole } from "../core/define-stage.js";
import { deriveUid, type TunerSettings } from "../core/define-stage.js";
import type { StageRegistry } from "../core/registry.js";
import type { Evaluator, PipelineStage, Splitter } from "../core/stage.js";
import type { StageSpec } from "./spec.js";

/**
 * Instantiates validated stage specs (a StageSpec from the pipeline file; core/define-stage.ts buildStage takes raw
 * params instead). Uids derive from the pipeline seed and the stage name, so one pipeline file
 * always gives the same uids (and the same saved metadata).
 */
export function buildFromSpec<T>(registry: StageRegistry, spec: StageSpec, seed: number, role?: StageRole | StageRole[]): T {
  const def = registry.get(spec.type, role);
  const uid = deriveUid(def.uidPrefix, `${seed}:${spec.name}`);
  return def.create(spec.params as never, { uid, name: spec.name, explicitParams: new Set(Object.keys(spec.raw)) }) as T;
}

export function buildPipelineStages(registry: StageRegistry, specs: StageSpec[], seed: number): PipelineStage[] {
  return specs.map((s) => buildFromSpec<PipelineStage>(registry, s, seed, ["estimator", "transformer"]));
}

export function buildEvaluators(registry: StageRegistry, specs: StageSpec[], seed: number): Evaluator[] {
  return specs.map((s) => buildFromSpec<Evaluator>(registry, s, seed, "evaluator"));
}

export function buildSplitter(registry: StageRegistry, spec: StageSpec, seed: number): Splitter {
  return buildFromSpec<Splitter>(registry, spec, seed, "split");
}

export function buildTuner(registry: StageRegistry, spec: StageSpec, seed: number): TunerSettings {
  return buildFromSpec<TunerSettings>(registry, spec, seed, "tuner");
}
