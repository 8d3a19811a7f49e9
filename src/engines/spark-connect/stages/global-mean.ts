import { globalMean } from "../../../../stages/global-mean.js";
import { sql } from "../transport/plan.js";
import { ident } from "../transport/sql-text.js";
import { defineRemoteStage } from "./remote-stage.js";

/** The global-mean baseline: the mean training rating as every prediction, scored by the regression evaluators. */
export const globalMeanRemote = defineRemoteStage({
  definition: globalMean,
  runs: "sql",
  baseline: {
    scoredBy: (ev) => !ev.needsRecommender,
    needsRankingData: false,
    score(_ml, ev, rows) {
      const label = ident(String(ev.params.labelCol)),
        pred = ident(String(ev.params.predictionCol));
      const scored = sql(`SELECT t.*, g.m AS ${pred} FROM (SELECT * FROM {test}) t CROSS JOIN (SELECT avg(CAST(${label} AS DOUBLE)) AS m FROM {train}) g`, {
        test: rows.test,
        train: rows.train,
      });
      return rows.sparkEvaluate(scored);
    },
  },
});
