import type { Table } from "apache-arrow";
import { InputError } from "../core/errors.js";
import type { RunContext } from "../core/run-context.js";
import type { Evaluator, EvaluationInput, FittedStage, Recommender } from "../core/stage.js";
import type { PipelineModel } from "./pipeline-model.js";
import type { SharedTopK } from "./shared-top-k.js";

/**
 * Runs the evaluators on a fitted pipeline: predictions for the regression metrics; for ranking metrics the
 * recommender's top-k against each user's held-out items, excluding what the user rated in training.
 */
export async function evaluateModel(
  model: PipelineModel,
  evaluators: readonly Evaluator[],
  train: Table,
  test: Table,
  ctx: RunContext,
  shared?: SharedTopK,
): Promise<Record<string, number>> {
  const input = await evaluationInput(model, evaluators, train, test, ctx);
  if (shared) {
    input.topK = shared.lists;
    input.topKRecommender = shared.recommender;
  }
  const out: Record<string, number> = {};
  for (const e of evaluators) out[e.metricKey] = await e.evaluate(input, ctx);
  return out;
}

export async function evaluationInput(model: PipelineModel, evaluators: readonly Evaluator[], train: Table, test: Table, ctx: RunContext): Promise<EvaluationInput> {
  const predictions = await model.transform(test, ctx);
  const input: EvaluationInput = { predictions };
  if (evaluators.some((e) => e.needsRecommender)) {
    const rec = model.recommender();
    if (!rec) {
      const names = evaluators.filter((e) => e.needsRecommender).map((e) => `${e.name} (${e.metricKey})`);
      const last = model.stages[model.stages.length - 1];
      throw new InputError(
        "E_SPEC",
        `evaluate: ${names.join(", ")} needs a model that can rank items for users (als, bias-baseline, most-popular); the pipeline's last model (${last?.type ?? "none"}) predicts scores but cannot rank`,
      );
    }
    input.recommender = rec;
    input.trainTransformed = await model.transformBefore(train, ctx, rec as FittedStage);
    input.testTransformed = await model.transformBefore(test, ctx, rec as FittedStage);
  }
  return input;
}

export type { Recommender };
