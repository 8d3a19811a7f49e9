import { mostPopular } from "../../../../stages/most-popular.js";
import { popularCandidates, remoteRankingMetric } from "./ranking-sql.js";
import { defineRemoteStage } from "./remote-stage.js";

/** The most-popular baseline: items by training count, scored by the ranking evaluators over the recommender's rows. */
export const mostPopularRemote = defineRemoteStage({
  definition: mostPopular,
  runs: "sql",
  baseline: {
    scoredBy: (ev) => ev.needsRecommender,
    needsRankingData: true,
    score(ml, ev, rows) {
      if (!rows.ranking) throw new Error("most-popular: scored without the recommender's rows");
      return remoteRankingMetric(ml, ev, rows.ranking, popularCandidates(rows.ranking), "scoring the most-popular baseline");
    },
  },
});
