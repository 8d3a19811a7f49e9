import type { Table } from "apache-arrow";
import { isInputError } from "../../core/errors.js";
import type { RunContext } from "../../core/run-context.js";
import type { StageRegistry } from "../../core/registry.js";
import type { Evaluator } from "../../core/stage.js";
import { buildPipelineStages } from "../../spec/build-stages.js";
import { evaluateModel } from "./evaluate-model.js";
import { fitPipeline, foldSchema, pipelineUid } from "../../model/pipeline-model.js";
import type { BaselineSpec } from "../../spec/spec.js";

/**
 * A model baseline (`baselines: [{name, pipeline: [...]}]`): its own pipeline fitted on the same training rows as the
 * main one (from the raw columns, so it may index and model them its own way) and scored by the same evaluators on
 * the same test rows. A metric it cannot produce (ranking without a recommender, ...) is left out with a warning.
 */
export async function scorePipelineBaseline(
  registry: StageRegistry,
  b: Extract<BaselineSpec, { kind: "pipeline" }>,
  evaluators: readonly Evaluator[],
  train: Table,
  test: Table,
  ctx: RunContext,
  seed: number,
): Promise<Record<string, number> | undefined> {
  const stages = buildPipelineStages(registry, b.pipeline, seed);
  foldSchema(stages, train.schema);
  const model = await fitPipeline(stages, train, ctx, pipelineUid(seed, `baseline:${b.name}`));
  const quiet = { ...ctx, warn: () => undefined };
  const out: Record<string, number> = {};
  for (const ev of evaluators) {
    try {
      Object.assign(out, await evaluateModel(model, [ev], train, test, quiet));
    } catch (e) {
      if (!isInputError(e)) throw e;
      ctx.warn(`baseline ${b.name} (${ev.metricKey}) left out: ${e.message}`);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
