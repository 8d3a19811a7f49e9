import { makeVector, Table, tableToIPC } from "apache-arrow";
import type { RecommendationLists } from "../core/stage.js";
import { IdLabels } from "../pipeline/id-labels.js";
import type { PipelineModel } from "../pipeline/pipeline-model.js";
import { recommendationsTable, type RecommendationsTable } from "../pipeline/recommend-for-run.js";
import type { PipelineSpec } from "../pipeline/spec.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import { literal } from "./literal.js";
import type { SparkMl } from "./ml.js";
import { localRelation, sql } from "./plan.js";
import type { RemotePipelineModel } from "./remote-pipeline.js";
import { ident } from "./sql-text.js";

/**
 * Top-k recommendations computed on the cluster (Spark's recommendForUserSubset; with excludeSeen, the top k + the
 * most any user rated, minus what each user rated in training). Only the k rows per user come back; they are mapped to
 * the original ids with the labels of the fetched-back model.
 */
export async function recommendRemote(
  ml: SparkMl,
  remote: RemotePipelineModel,
  local: PipelineModel,
  spec: NonNullable<PipelineSpec["recommend"]>,
  train: Relation,
  warn: (m: string) => void,
): Promise<RecommendationsTable> {
  const r = remote.recommenderIndex();
  const rec = local.recommender();
  if (r < 0 || !rec) throw new Error("recommend: the pipeline has no recommender");
  const p = remote.stages[r].stage.params;
  const userCol = String(p.userCol), itemCol = String(p.itemCol);
  const u = ident(userCol), i = ident(itemCol);
  const trainF = remote.transform(train, r);
  let users: Relation;
  let count: number;
  if (spec.users === "all") {
    users = sql(`SELECT DISTINCT CAST(${u} AS INT) AS ${u} FROM {train} WHERE ${u} IS NOT NULL`, { train: trainF });
    count = rec.knownUsers().length;
  } else {
    const ids = new IdLabels(local, rec.userCol);
    const known: number[] = [];
    for (const id of spec.users) {
      const idx = ids.toIndex(id);
      if (idx === undefined) warn(`recommend: user ${JSON.stringify(id)} is not in the training data; no recommendations (cold start)`);
      else known.push(idx);
    }
    users = localRelation(tableToIPC(new Table({ [userCol]: makeVector(Int32Array.from(known)) }), "stream"));
    count = known.length;
  }
  let extra = 0;
  if (spec.excludeSeen) {
    const t = await ml.collect(sql(`SELECT coalesce(max(c), 0) AS c FROM (SELECT count(DISTINCT ${i}) AS c FROM {train} GROUP BY ${u})`, { train: trainF }), "recommending");
    extra = Number(t.getChild("c")!.get(0));
  }
  const recs = ml.fetchRelation(remote.stages[r].model!, "recommendForUserSubset", [{ input: users }, { param: literal(spec.k + extra, "int", "recommend.k") }]);
  const exploded = `SELECT CAST(${u} AS INT) AS u, CAST(x.${i} AS INT) AS item, CAST(x.rating AS FLOAT) AS score, pos FROM {recs} LATERAL VIEW posexplode(recommendations) t AS pos, x`;
  const filtered = spec.excludeSeen
    ? `SELECT c.* FROM (${exploded}) c LEFT ANTI JOIN (SELECT DISTINCT CAST(${u} AS INT) AS u, CAST(${i} AS INT) AS item FROM {train}) s ON c.u = s.u AND c.item = s.item`
    : exploded;
  const top = await ml.collect(
    sql(`SELECT u, item, score, rk FROM (SELECT *, row_number() OVER (PARTITION BY u ORDER BY pos) AS rk FROM (${filtered})) WHERE rk <= ${spec.k} ORDER BY u, rk`, { recs, train: trainF }),
    "recommending",
  );
  return recommendationsTable(local, toLists(top, spec.k), count, spec.k);
}

/** Rows (u, item, score, rk) ordered by user then rank, as recpipe's per-user top-k lists. */
function toLists(t: Table, k: number): RecommendationLists {
  const us = t.getChild("u")!.toArray() as Int32Array;
  const items = t.getChild("item")!.toArray() as Int32Array;
  const scores = t.getChild("score")!.toArray() as Float32Array;
  const userList: number[] = [];
  for (let j = 0; j < us.length; j++) if (j === 0 || us[j] !== us[j - 1]) userList.push(us[j]);
  const out: RecommendationLists = { users: Int32Array.from(userList), items: new Int32Array(userList.length * k).fill(-1), scores: new Float32Array(userList.length * k), counts: new Int32Array(userList.length), k };
  for (let j = 0, q = -1; j < us.length; j++) {
    if (j === 0 || us[j] !== us[j - 1]) q++;
    const c = out.counts[q]++;
    out.items[q * k + c] = items[j];
    out.scores[q * k + c] = scores[j];
  }
  return out;
}
