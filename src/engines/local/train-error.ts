import type { Table } from "apache-arrow";
import type { RunContext } from "../../core/run-context.js";
import type { Evaluator, FittedStage } from "../../core/stage.js";
import type { PipelineModel } from "../../model/pipeline-model.js";

/**
 * The regression metrics on the training rows, to set beside the test metrics: a train error far below the test
 * error is over-fitting. Ranking metrics are left out: on training rows they would rank items the user has already
 * rated, which the ranking evaluators exclude by definition.
 */
export async function trainMetrics(model: PipelineModel, evaluators: readonly Evaluator[], train: Table, ctx: RunContext): Promise<Record<string, number>> {
  const regression = evaluators.filter((e) => !e.needsRecommender);
  if (regression.length === 0 || train.numRows === 0) return {};
  const rec = model.recommender();
  // The features the recommender saw are cached for the train table (evaluation and baselines need them too), so
  // only the recommender's own predictions are computed here.
  const predictions = rec
    ? await (rec as FittedStage).transform(await model.transformBefore(train, ctx, rec as FittedStage), ctx)
    : await model.transform(train, ctx);
  const quiet = { ...ctx, warn: () => undefined };
  const out: Record<string, number> = {};
  for (const e of regression) out[e.metricKey] = await e.evaluate({ predictions }, quiet);
  return out;
}
