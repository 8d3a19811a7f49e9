import type { StageRegistry } from "../../core/registry.js";
import type { Evaluator } from "../../core/stage.js";
import type { BaselineSpec } from "../../spec/spec.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import type { SparkMl } from "./transport/ml.js";
import type { RankingData } from "./stages/index.js";
import { remoteStageFor, sparkOperator, type RemotePipelineModel } from "./remote-pipeline.js";
import { remoteStages } from "./stages/index.js";
import { inOneJob, regressionMetricsBySide } from "./regression-metrics-sql.js";

/** The rows the recommender (the last ALS) saw, for ranking metrics and baselines. */
export function rankingData(model: RemotePipelineModel, train: Relation, test: Relation): RankingData | undefined {
  const r = model.recommenderIndex();
  if (r < 0) return undefined;
  const p = model.stages[r].stage.params;
  return { trainF: model.transform(train, r), testF: model.transform(test, r), userCol: String(p.userCol), itemCol: String(p.itemCol) };
}

/** One evaluator's metric for a fitted pipeline on the cluster: Spark's evaluator, or recpipe's own metric in SQL. */
export async function evaluateRemote(
  ml: SparkMl,
  registry: StageRegistry,
  model: RemotePipelineModel,
  ev: Evaluator,
  train: Relation,
  test: Relation,
  runSeed: number,
  what: string,
): Promise<number> {
  const remote = remoteStageFor(registry, ev);
  if (remote.metric) {
    const data = rankingData(model, train, test);
    return remote.metric(ml, ev, data, data && model.candidates(data), what);
  }
  return ml.evaluate(sparkOperator(registry, ev, runSeed), model.transform(test), what);
}

/**
 * The baselines the report shows, as Spark SQL over the same rows the model saw: each remote stage with a baseline
 * (global-mean: scored by the regression evaluators; most-popular: by the ranking evaluators) that the run's registry
 * holds and the file's `baselines:` names (`wanted`; all built-ins when it has none, none for `baselines: []`, as
 * locally). bias-baseline has no remote form and is left out.
 */
export async function remoteBaselines(
  ml: SparkMl,
  registry: StageRegistry,
  model: RemotePipelineModel,
  evaluators: readonly Evaluator[],
  train: Relation,
  test: Relation,
  runSeed: number,
  wanted: readonly BaselineSpec[],
): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  const data = rankingData(model, train, test);
  for (const { definition, baseline } of remoteStages) {
    if (!baseline || !registry.has(definition.type) || !wanted.some((b) => b.kind === "builtin" && b.type === definition.type)) continue;
    const scoredBy = evaluators.filter((e) => baseline.scoredBy(e));
    if (scoredBy.length === 0 || (baseline.needsRankingData && !data)) continue;
    const m: Record<string, number> = {};
    for (const ev of scoredBy) {
      const sparkEvaluate = (scored: Relation) => ml.evaluate(sparkOperator(registry, ev, runSeed), scored, `scoring the ${definition.type} baseline`);
      m[ev.metricKey] = await baseline.score(ml, ev, { train: data?.trainF ?? train, test: data?.testF ?? test, ranking: data, sparkEvaluate });
    }
    out[definition.type] = m;
  }
  return out;
}

/**
 * The test metrics and the regression metrics on the training rows (beside the test metrics: a train error far below
 * the test error is over-fitting). Spark's unweighted RegressionEvaluator metrics of both sides come from ONE Spark job
 * (regression-metrics-sql.ts); the other evaluators are asked one by one (ranking metrics on test only, as locally).
 * Without `test`, only the train metrics.
 */
export function remoteScores(
  ml: SparkMl,
  registry: StageRegistry,
  model: RemotePipelineModel,
  evaluators: readonly Evaluator[],
  train: Relation,
  test: Relation | undefined,
  runSeed: number,
): { test: Promise<Record<string, number>>; train: Promise<Record<string, number>> } {
  const together = evaluators.filter((ev) => inOneJob(registry, ev));
  const sides: Record<string, Relation> = { train: model.transform(train) };
  if (test) sides.test = model.transform(test);
  const keys = [...new Set(together.map((ev) => ev.metricKey))].join(", ");
  const what = `evaluating ${keys} on the ${test ? "test and training" : "training"} rows`;
  const bySide = together.length > 0 ? regressionMetricsBySide(ml, together, sides, what) : undefined;
  bySide?.catch(() => undefined);
  const onTest = async (): Promise<Record<string, number>> => {
    if (!test) return {};
    const pairs = await Promise.all(
      evaluators.map(
        async (ev) =>
          [
            ev.metricKey,
            inOneJob(registry, ev)
              ? (await bySide!).test.metrics[ev.metricKey]
              : await evaluateRemote(ml, registry, model, ev, train, test, runSeed, `evaluating ${ev.metricKey}`),
          ] as const,
      ),
    );
    return Object.fromEntries(pairs);
  };
  const onTrain = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const ev of evaluators) {
      if (ev.needsRecommender) continue;
      out[ev.metricKey] = inOneJob(registry, ev)
        ? (await bySide!).train.metrics[ev.metricKey]
        : await ml.evaluate(sparkOperator(registry, ev, runSeed), sides.train, `evaluating ${ev.metricKey} on the training rows`);
    }
    return out;
  };
  return { test: onTest(), train: onTrain() };
}
