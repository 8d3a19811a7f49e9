import { InputError } from "../../../core/errors.js";
import { rankingEvaluator } from "../../../../stages/ranking-evaluator.js";
import { remoteRankingMetric } from "./ranking-sql.js";
import { defineRemoteStage } from "./remote-stage.js";

/**
 * recpipe's ranking metrics on the cluster. recpipe's definition (top-k of items unseen in training, users with a test
 * item) needs the training rows, which Spark's RankingEvaluator never sees: the engine builds the per-user arrays with
 * Spark SQL and scores them there (with Spark's RankingEvaluator where it has the metric).
 */
export const rankingEvaluatorRemote = defineRemoteStage({
  definition: rankingEvaluator,
  runs: "sql",
  refuse: (p: { metricName?: unknown }) =>
    p.metricName === "expectedPercentileRank"
      ? {
          key: "metricName",
          reason: "expectedPercentileRank ranks every item for every test user and is computed only by recpipe's own engine (run without --remote)",
        }
      : undefined,
  async metric(ml, ev, data, candidates, what) {
    if (!data || !candidates)
      throw new InputError("E_SPEC", `${ev.name}: ranking metric ${String(ev.params.metricName)} needs a model that can rank (als); the pipeline has none`);
    return remoteRankingMetric(ml, ev, data, candidates, what);
  },
});
