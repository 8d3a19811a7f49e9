import type { Table } from "apache-arrow";
import { isInputError } from "../core/errors.js";
import type { RunContext } from "../core/run-context.js";
import type { StageRegistry } from "../core/registry.js";
import type { Estimator, Evaluator, FittedStage } from "../core/stage.js";
import { buildStage } from "./build-stages.js";
import { evaluateModel } from "./evaluate-model.js";
import { PipelineModel } from "./pipeline-model.js";

/** Baselines every report shows beside the model, when registered. */
const BASELINES = ["global-mean", "bias-baseline", "most-popular"];

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
): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  const rec = model.recommender();
  const features = rec ? model.stages.slice(0, model.stages.indexOf(rec as FittedStage)) : [];
  const featureModel = new PipelineModel("features", features);
  const trainF = await featureModel.transform(train, ctx);
  const regression = evaluators.find((e) => typeof e.params.labelCol === "string");
  const columns: Record<string, unknown> = {
    ratingCol: regression?.params.labelCol ?? "rating",
    predictionCol: regression?.params.predictionCol ?? "prediction",
    userCol: rec?.userCol,
    itemCol: rec?.itemCol,
  };
  for (const type of BASELINES) {
    if (!registry.has(type)) continue;
    const def = registry.get(type);
    const shape = Object.keys(def.params.shape);
    const raw = Object.fromEntries(Object.entries(columns).filter(([k, v]) => v !== undefined && shape.includes(k)));
    if ((shape.includes("userCol") || shape.includes("itemCol")) && !rec) continue;
    let baseline: FittedStage;
    try {
      const est = buildStage<Estimator>(registry, { type, name: type, params: def.params.parse(raw) as Record<string, unknown>, raw }, seed, "estimator");
      baseline = await est.fit(trainF, ctx);
    } catch (e) {
      if (isInputError(e)) continue;
      throw e;
    }
    const pm = new PipelineModel(`baseline-${type}`, [...features, baseline]);
    const metrics: Record<string, number> = {};
    for (const ev of evaluators) {
      try {
        Object.assign(metrics, await evaluateModel(pm, [ev], train, test, { ...ctx, warn: () => undefined }));
      } catch (e) {
        if (!isInputError(e)) throw e;
      }
    }
    if (Object.keys(metrics).length > 0) out[type] = metrics;
  }
  return out;
}
