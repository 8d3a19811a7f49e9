import type { Table } from "apache-arrow";
import { isInputError } from "../../core/errors.js";
import type { RunContext } from "../../core/run-context.js";
import type { StageRegistry } from "../../core/registry.js";
import { isRecommender, type EvaluationInput, type Estimator, type Evaluator, type FittedStage } from "../../core/stage.js";
import { buildFromSpec } from "../../spec/build-stages.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import { scorePipelineBaseline } from "./pipeline-baseline.js";
import { BUILTIN_BASELINES, type BaselineSpec } from "../../spec/spec.js";

/** Baselines every report shows beside the model, when registered; `ratings` says whether it predicts ratings. */
const BASELINES = [
  { type: "global-mean", ratings: true },
  { type: "bias-baseline", ratings: true },
  { type: "most-popular", ratings: false },
];

/**
 * Fits each baseline on the same training rows the pipeline's recommender saw (after the feature stages) and scores
 * it with the same evaluators, so every report shows what a trivial model gets. A metric a baseline cannot produce
 * (ranking for global-mean, say) is left out.
 */
export async function computeBaselines(
  registry: StageRegistry,
  model: PipelineModel,
  evaluators: readonly Evaluator[],
  train: Table,
  test: Table,
  ctx: RunContext,
  seed: number,
  wanted: readonly BaselineSpec[] = BUILTIN_BASELINES.map((type) => ({ kind: "builtin", type, name: type })),
): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  const rec = model.recommender();
  // The feature stages (string indexers, ...) run once for all baselines, shared with the model's evaluation.
  const trainF = rec ? await model.transformBefore(train, ctx, rec as FittedStage) : train;
  const testF = rec ? await model.transformBefore(test, ctx, rec as FittedStage) : test;
  const regression = evaluators.find((e) => typeof e.params.labelCol === "string");
  const columns: Record<string, unknown> = {
    ratingCol: regression?.params.labelCol ?? "rating",
    predictionCol: regression?.params.predictionCol ?? "prediction",
    userCol: rec?.userCol,
    itemCol: rec?.itemCol,
  };
  const ranking = evaluators.some((e) => e.needsRecommender);
  // Every baseline left out says why, so a report without one is never a mystery.
  // A baseline that failed is a warning; one that simply has nothing to say for these evaluators is a log line.
  const leftOut = (type: string, why: string, failed = false) => (failed ? ctx.warn : ctx.log)(`baseline ${type} left out: ${why}`);
  for (const w of wanted) {
    // A model pipeline (`baselines: [{name, pipeline}]`) is fitted and scored like the main one, from the raw rows.
    if (w.kind === "pipeline") {
      const scored = await scorePipelineBaseline(registry, w, evaluators, train, test, ctx, seed);
      if (scored) out[w.name] = scored;
      else leftOut(w.name, `it produces none of the evaluated metrics (${evaluators.map((e) => e.metricKey).join(", ")})`, true);
      continue;
    }
    const { type, ratings } = BASELINES.find((b) => b.type === w.type) ?? { type: w.type, ratings: true };
    if (!registry.has(type)) {
      leftOut(type, "no such stage is registered");
      continue;
    }
    // A baseline that cannot produce any of the run's metrics is not fitted at all (most-popular without ranking).
    if (!ratings && !ranking) {
      leftOut(type, "it ranks items but predicts no ratings, and the run has no ranking evaluator");
      continue;
    }
    const def = registry.get(type);
    const shape = Object.keys(def.params.shape);
    const raw = Object.fromEntries(Object.entries(columns).filter(([k, v]) => v !== undefined && shape.includes(k)));
    if ((shape.includes("userCol") || shape.includes("itemCol")) && !rec) {
      leftOut(type, "it needs user and item columns, and the pipeline has no recommender (such as als) that names them");
      continue;
    }
    let baseline: FittedStage;
    try {
      const est = buildFromSpec<Estimator>(registry, { type, name: type, params: def.params.parse(raw) as Record<string, unknown>, raw }, seed, "estimator");
      baseline = await est.fit(trainF, ctx);
    } catch (e) {
      if (!isInputError(e)) throw e;
      leftOut(type, `it cannot be fitted on these training rows: ${e.message}`, true);
      continue;
    }
    const quiet = { ...ctx, warn: () => undefined };
    const input: EvaluationInput = {
      // Predicted only for an evaluator that reads them (ranking metrics read the test rows and the lists).
      predictions: ratings && evaluators.some((e) => e.readsPredictions !== false) ? await baseline.transform(testF, quiet) : testF,
      recommender: isRecommender(baseline) ? baseline : undefined,
      trainTransformed: trainF,
      testTransformed: testF,
    };
    const metrics: Record<string, number> = {};
    for (const ev of evaluators) {
      if (ev.needsRecommender ? !input.recommender : !ratings) continue;
      try {
        metrics[ev.metricKey] = await ev.evaluate(input, quiet);
      } catch (e) {
        if (!isInputError(e)) throw e;
        leftOut(`${type} (${ev.metricKey})`, e.message, true);
      }
    }
    if (Object.keys(metrics).length > 0) out[type] = metrics;
    else
      leftOut(
        type,
        `it produces none of the evaluated metrics (${evaluators.map((e) => e.metricKey).join(", ")}): ${ratings ? "it predicts ratings but ranks nothing" : "it ranks items but predicts no ratings"}`,
      );
  }
  return out;
}
