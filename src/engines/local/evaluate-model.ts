import type { Table } from "apache-arrow";
import { InputError } from "../../core/errors.js";
import type { RunContext } from "../../core/run-context.js";
import type { Evaluator, EvaluationInput, FittedStage, Recommender } from "../../core/stage.js";
import { float64Column } from "../../core/table.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
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
  refuseAllColdStart(input.predictions, evaluators, train, test);
  if (shared) {
    input.topK = shared.lists;
    input.topKRecommender = shared.recommender;
  }
  const out: Record<string, number> = {};
  for (const e of evaluators) out[e.metricKey] = await e.evaluate(input, ctx);
  return out;
}

/**
 * A test split whose every row is cold start (its user or item never occurs in training) leaves nothing to score: the
 * metric would print as NaN and look like a numeric failure. Say what happened instead.
 */
function refuseAllColdStart(predictions: Table, evaluators: readonly Evaluator[], train: Table, test: Table): void {
  if (test.numRows === 0) return;
  for (const e of evaluators) {
    const col = e.params.predictionCol;
    if (e.needsRecommender || typeof col !== "string" || !predictions.getChild(col)) continue;
    const p = float64Column(predictions, col, e.name);
    for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) return;
    throw new InputError(
      "E_DATA",
      `evaluate: all ${test.numRows.toLocaleString("en-US")} test rows are cold start: each has a user or an item that never occurs in the ${train.numRows.toLocaleString("en-US")} training rows, so the model predicts none of them and ${e.metricKey} cannot be computed (it would be NaN). Use a split that keeps every user in training (stratified-split, leave-last-out), or more data`,
    );
  }
}

export async function evaluationInput(
  model: PipelineModel,
  evaluators: readonly Evaluator[],
  train: Table,
  test: Table,
  ctx: RunContext,
): Promise<EvaluationInput> {
  // Ranking alone reads the test rows before the recommender, not its predictions: predicting every test row for
  // nothing cost half a second at 10M ratings. The recommender's transform then stands in (same rows, no prediction).
  const predict = evaluators.some((e) => e.readsPredictions !== false) || !model.recommender();
  const input: EvaluationInput = { predictions: predict ? await model.transform(test, ctx) : test };
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
    if (!predict) input.predictions = input.testTransformed;
  }
  return input;
}

export type { Recommender };
