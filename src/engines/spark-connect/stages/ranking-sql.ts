import { InputError } from "../../../core/errors.js";
import type { Evaluator } from "../../../core/stage.js";
import type { Relation } from "../gen/spark/connect/relations_pb.js";
import { literal } from "../transport/literal.js";
import type { ModelRef, SparkMl } from "../transport/ml.js";
import { sql } from "../transport/plan.js";
import { ident, num } from "../transport/sql-text.js";

/** Spark's RankingEvaluator computes these itself from the per-user arrays; recpipe's extra two are SQL aggregates. */
const SPARK_RANKING_METRICS = ["meanAveragePrecision", "meanAveragePrecisionAtK", "precisionAtK", "ndcgAtK", "recallAtK"];

/** What ranking metrics are computed from: the rows the recommender saw, by column name. */
export interface RankingData {
  trainF: Relation;
  testF: Relation;
  userCol: string;
  itemCol: string;
}

/** A recommender on the cluster: for a relation of users (column `u`), ranked candidates `(u, item, pos)`, n per user. */
export type Candidates = (users: Relation, n: number) => Relation;

/**
 * recpipe's ranking metric, computed on the cluster: for every user with a (relevant) test item, the model's top-k
 * among items the user did not rate in training, scored against the user's distinct test items; a test user the
 * model does not know gets an empty list (a miss). The per-user arrays are built with Spark SQL and scored by Spark's
 * RankingEvaluator; only the metric comes back.
 */
export async function remoteRankingMetric(ml: SparkMl, ev: Evaluator, data: RankingData, candidates: Candidates, what: string): Promise<number> {
  const k = ev.params.k as number;
  const metric = ev.params.metricName as string;
  const threshold = ev.params.relevanceThreshold as number | undefined;
  const labelCol = ev.params.labelCol as string;
  const u = ident(data.userCol),
    i = ident(data.itemCol);
  const relevant = sql(
    `SELECT CAST(${u} AS INT) AS u, collect_set(CAST(${i} AS DOUBLE)) AS label FROM {test}
     WHERE ${u} IS NOT NULL AND ${i} IS NOT NULL${threshold === undefined ? "" : ` AND ${ident(labelCol)} >= ${num(threshold)}`}
     GROUP BY CAST(${u} AS INT)`,
    { test: data.testF },
  );
  const n = k + (await maxSeen(ml, data, what));
  const users = sql("SELECT u FROM {relevant}", { relevant });
  const arrays = sql(
    `WITH seen AS (SELECT DISTINCT CAST(${u} AS INT) AS u, CAST(${i} AS INT) AS item FROM {train}),
     unseen AS (SELECT c.u, c.item, c.pos FROM {cand} c LEFT ANTI JOIN seen s ON c.u = s.u AND c.item = s.item),
     ranked AS (SELECT u, item, row_number() OVER (PARTITION BY u ORDER BY pos) AS rk FROM unseen),
     top AS (SELECT u, transform(array_sort(collect_list(struct(rk, item))), x -> CAST(x.item AS DOUBLE)) AS prediction
             FROM ranked WHERE rk <= ${k} GROUP BY u)
     SELECT r.u, coalesce(t.prediction, CAST(array() AS ARRAY<DOUBLE>)) AS prediction, r.label FROM {relevant} r LEFT JOIN top t ON r.u = t.u`,
    { train: data.trainF, cand: candidates(users, n), relevant },
  );
  if (SPARK_RANKING_METRICS.includes(metric)) {
    return ml.evaluate(
      {
        className: "org.apache.spark.ml.evaluation.RankingEvaluator",
        uid: ev.uid,
        params: [
          { name: "metricName", value: metric, type: "string" },
          { name: "k", value: k, type: "int" },
          { name: "predictionCol", value: "prediction", type: "string" },
          { name: "labelCol", value: "label", type: "string" },
        ],
      },
      arrays,
      what,
    );
  }
  const perUser =
    metric === "hitRateAtK"
      ? `CASE WHEN size(array_intersect(slice(prediction, 1, ${k}), label)) > 0 THEN 1.0D ELSE 0.0D END`
      : metric === "mrrAtK"
        ? `CASE WHEN p > 0 THEN 1.0D / p ELSE 0.0D END`
        : undefined;
  if (!perUser) throw new InputError("E_UNSUPPORTED", `${ev.name}.metricName: ${metric} is not computed on Spark Connect`);
  const t = await ml.collect(
    sql(
      `SELECT avg(${perUser}) AS m FROM (SELECT *, array_position(transform(slice(prediction, 1, ${k}), x -> array_contains(label, x)), true) AS p FROM {arrays})`,
      { arrays },
    ),
    what,
  );
  const m = t.getChild("m")?.get(0);
  return m === null || m === undefined ? NaN : Number(m);
}

const seenCache = new WeakMap<Relation, Promise<number>>();
/** The most items any user rated in training: the top-k of unseen items is among the top (k + this) of all items. */
function maxSeen(ml: SparkMl, data: RankingData, what: string): Promise<number> {
  let p = seenCache.get(data.trainF);
  if (!p) {
    const u = ident(data.userCol),
      i = ident(data.itemCol);
    p = ml
      .collect(sql(`SELECT coalesce(max(c), 0) AS c FROM (SELECT count(DISTINCT ${i}) AS c FROM {train} GROUP BY ${u})`, { train: data.trainF }), what)
      .then((t) => Number(t.getChild("c")!.get(0)));
    seenCache.set(data.trainF, p);
  }
  return p;
}

/** An ALS model's candidates: Spark's recommendForUserSubset, exploded with each item's position. */
export function alsCandidates(ml: SparkMl, model: ModelRef, userCol: string, itemCol: string): Candidates {
  return (users, n) => {
    const subset = sql(`SELECT u AS ${ident(userCol)} FROM {users}`, { users });
    const recs = ml.fetchRelation(model, "recommendForUserSubset", [{ input: subset }, { param: literal(n, "int", "recommendForUserSubset.numItems") }]);
    return sql(
      `SELECT CAST(${ident(userCol)} AS INT) AS u, CAST(r.${ident(itemCol)} AS INT) AS item, pos FROM {recs} LATERAL VIEW posexplode(recommendations) t AS pos, r`,
      { recs },
    );
  };
}

/** The most-popular baseline's candidates: items by training rows (ties to the larger id), for users seen in training. */
export function popularCandidates(data: RankingData): Candidates {
  const u = ident(data.userCol),
    i = ident(data.itemCol);
  return (users, n) =>
    sql(
      `WITH pop AS (SELECT CAST(${i} AS INT) AS item, row_number() OVER (ORDER BY count(*) DESC, CAST(${i} AS INT) DESC) AS pos FROM {train} GROUP BY CAST(${i} AS INT)),
       known AS (SELECT DISTINCT CAST(${u} AS INT) AS u FROM {train})
       SELECT q.u, p.item, p.pos FROM {users} q JOIN known k ON q.u = k.u CROSS JOIN pop p WHERE p.pos <= ${n}`,
      { train: data.trainF, users },
    );
}
