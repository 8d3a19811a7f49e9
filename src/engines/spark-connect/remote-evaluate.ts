import { InputError } from "../../core/errors.js";
import type { StageRegistry } from "../../core/registry.js";
import type { Evaluator } from "../../core/stage.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import type { SparkMl } from "./transport/ml.js";
import { sql } from "./transport/plan.js";
import { alsCandidates, popularCandidates, remoteRankingMetric, type RankingData } from "./remote-ranking.js";
import { sparkOperator, type RemotePipelineModel } from "./remote-pipeline.js";
import { ident } from "./transport/sql-text.js";

/** The rows the recommender (the last ALS) saw, for ranking metrics and baselines. */
export function rankingData(model: RemotePipelineModel, train: Relation, test: Relation): RankingData | undefined {
  const r = model.recommenderIndex();
  if (r < 0) return undefined;
  const p = model.stages[r].stage.params;
  return { trainF: model.transform(train, r), testF: model.transform(test, r), userCol: String(p.userCol), itemCol: String(p.itemCol) };
}

/** One evaluator's metric for a fitted pipeline on the cluster: Spark's evaluator, or recpipe's ranking metric in SQL. */
export async function evaluateRemote(ml: SparkMl, registry: StageRegistry, model: RemotePipelineModel, ev: Evaluator, train: Relation, test: Relation, runSeed: number, what: string): Promise<number> {
  if (ev.type === "ranking-evaluator") {
    const data = rankingData(model, train, test);
    const r = model.recommenderIndex();
    if (!data || r < 0) throw new InputError("E_SPEC", `${ev.name}: ranking metric ${String(ev.params.metricName)} needs a model that can rank (als); the pipeline has none`);
    return remoteRankingMetric(ml, ev, data, alsCandidates(ml, model.stages[r].model!, data.userCol, data.itemCol), what);
  }
  return ml.evaluate(sparkOperator(registry, ev, runSeed), model.transform(test), what);
}

/**
 * The baselines every report shows, as Spark SQL aggregates over the same rows the model saw: global-mean (the mean
 * training rating, scored by the regression evaluators) and most-popular (items by training count, scored by the
 * ranking evaluators). bias-baseline has no remote form and is left out.
 */
export async function remoteBaselines(ml: SparkMl, registry: StageRegistry, model: RemotePipelineModel, evaluators: readonly Evaluator[], train: Relation, test: Relation, runSeed: number): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  const data = rankingData(model, train, test);
  const regression = evaluators.filter((e) => e.type === "regression-evaluator");
  if (regression.length > 0 && registry.has("global-mean")) {
    const m: Record<string, number> = {};
    for (const ev of regression) {
      const label = ident(String(ev.params.labelCol)), pred = ident(String(ev.params.predictionCol));
      const trainF = data?.trainF ?? train, testF = data?.testF ?? test;
      const scored = sql(`SELECT t.*, g.m AS ${pred} FROM (SELECT * FROM {test}) t CROSS JOIN (SELECT avg(CAST(${label} AS DOUBLE)) AS m FROM {train}) g`, { test: testF, train: trainF });
      m[ev.metricKey] = await ml.evaluate(sparkOperator(registry, ev, runSeed), scored, "scoring the global-mean baseline");
    }
    out["global-mean"] = m;
  }
  const ranking = evaluators.filter((e) => e.type === "ranking-evaluator");
  if (ranking.length > 0 && data && registry.has("most-popular")) {
    const m: Record<string, number> = {};
    for (const ev of ranking) m[ev.metricKey] = await remoteRankingMetric(ml, ev, data, popularCandidates(data), "scoring the most-popular baseline");
    out["most-popular"] = m;
  }
  return out;
}


/**
 * The regression metrics on the training rows (beside the test metrics: a train error far below the test error is
 * over-fitting), by Spark's evaluator over the model's output on train. Ranking metrics are left out, as locally.
 */
export async function remoteTrainMetrics(ml: SparkMl, registry: StageRegistry, model: RemotePipelineModel, evaluators: readonly Evaluator[], train: Relation, runSeed: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const ev of evaluators) {
    if (ev.needsRecommender) continue;
    out[ev.metricKey] = await ml.evaluate(sparkOperator(registry, ev, runSeed), model.transform(train), `evaluating ${ev.metricKey} on the training rows`);
  }
  return out;
}
