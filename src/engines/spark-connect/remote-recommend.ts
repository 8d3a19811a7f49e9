import { makeVector, Table, tableToIPC } from "apache-arrow";
import type { ItemRecommendationLists, RecommendationLists } from "../../core/stage.js";
import { IdLabels } from "../../model/id-labels.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import { recommendationsTable, type RecommendationsTable } from "../../model/recommendations-table.js";
import type { PipelineSpec } from "../../spec/spec.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import { literal } from "./transport/literal.js";
import type { SparkMl } from "./transport/ml.js";
import { localRelation, sql } from "./transport/plan.js";
import type { RemotePipelineModel } from "./remote-pipeline.js";
import { ident } from "./transport/sql-text.js";

/**
 * Top-k recommendations computed on the cluster: Spark's recommendForUserSubset for `users` and recommendForItemSubset
 * for `items` (with excludeSeen, the top k + the most any key rated, minus what each key rated in training). Only the
 * k rows per key come back; they are mapped to the original ids with the labels of the fetched-back model.
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
  const cols = { user: String(p.userCol), item: String(p.itemCol) };
  const trainF = remote.transform(train, r);
  const side = async (key: "user" | "item", wanted: "all" | (string | number)[]) => {
    const other = key === "user" ? "item" : "user";
    const k = ident(cols[key]),
      o = ident(cols[other]);
    let keys: Relation;
    let count: number;
    if (wanted === "all") {
      keys = sql(`SELECT DISTINCT CAST(${k} AS INT) AS ${k} FROM {train} WHERE ${k} IS NOT NULL`, { train: trainF });
      count = (key === "user" ? rec.knownUsers() : rec.knownItems()).length;
    } else {
      const ids = new IdLabels(local, key === "user" ? rec.userCol : rec.itemCol);
      const known: number[] = [];
      for (const id of wanted) {
        const idx = ids.toIndex(id);
        if (idx === undefined) warn(`recommend: ${key} ${JSON.stringify(id)} is not in the training data; no recommendations (cold start)`);
        else known.push(idx);
      }
      keys = localRelation(tableToIPC(new Table({ [cols[key]]: makeVector(Int32Array.from(known)) }), "stream"));
      count = known.length;
    }
    let extra = 0;
    if (spec.excludeSeen) {
      const t = await ml.collect(
        sql(`SELECT coalesce(max(c), 0) AS c FROM (SELECT count(DISTINCT ${o}) AS c FROM {train} GROUP BY ${k})`, { train: trainF }),
        "recommending",
      );
      extra = Number(t.getChild("c")!.get(0));
    }
    const method = key === "user" ? "recommendForUserSubset" : "recommendForItemSubset";
    const recs = ml.fetchRelation(remote.stages[r].model!, method, [{ input: keys }, { param: literal(spec.k + extra, "int", "recommend.k") }]);
    const exploded = `SELECT CAST(${k} AS INT) AS key, CAST(x.${o} AS INT) AS value, CAST(x.rating AS FLOAT) AS score, pos FROM {recs} LATERAL VIEW posexplode(recommendations) t AS pos, x`;
    const filtered = spec.excludeSeen
      ? `SELECT c.* FROM (${exploded}) c LEFT ANTI JOIN (SELECT DISTINCT CAST(${k} AS INT) AS key, CAST(${o} AS INT) AS value FROM {train}) s ON c.key = s.key AND c.value = s.value`
      : exploded;
    const top = await ml.collect(
      sql(
        `SELECT key, value, score, rk FROM (SELECT *, row_number() OVER (PARTITION BY key ORDER BY pos) AS rk FROM (${filtered})) WHERE rk <= ${spec.k} ORDER BY key, rk`,
        { recs, train: trainF },
      ),
      "recommending",
    );
    return { lists: toLists(top, spec.k), count };
  };
  const wantUsers = spec.users ?? (spec.items === undefined ? "all" : undefined);
  const users = wantUsers === undefined ? undefined : await side("user", wantUsers);
  const items = spec.items === undefined ? undefined : await side("item", spec.items);
  const lists: { users?: RecommendationLists; items?: ItemRecommendationLists } = {};
  if (users) lists.users = { users: users.lists.keys, items: users.lists.values, scores: users.lists.scores, counts: users.lists.counts, k: spec.k };
  if (items) lists.items = { items: items.lists.keys, users: items.lists.values, scores: items.lists.scores, counts: items.lists.counts, k: spec.k };
  return recommendationsTable(local, lists, { users: users?.count ?? 0, items: items?.count ?? 0 }, spec.k);
}

/** Rows (key, value, score, rk) ordered by key then rank, as per-key top-k lists (-1 pads a short list). */
function toLists(t: Table, k: number) {
  const ks = t.getChild("key")!.toArray() as Int32Array;
  const vs = t.getChild("value")!.toArray() as Int32Array;
  const scores = t.getChild("score")!.toArray() as Float32Array;
  const keyList: number[] = [];
  for (let j = 0; j < ks.length; j++) if (j === 0 || ks[j] !== ks[j - 1]) keyList.push(ks[j]);
  const out = {
    keys: Int32Array.from(keyList),
    values: new Int32Array(keyList.length * k).fill(-1),
    scores: new Float32Array(keyList.length * k).fill(NaN),
    counts: new Int32Array(keyList.length),
  };
  for (let j = 0, q = -1; j < ks.length; j++) {
    if (j === 0 || ks[j] !== ks[j - 1]) q++;
    const c = out.counts[q]++;
    out.values[q * k + c] = vs[j];
    out.scores[q * k + c] = scores[j];
  }
  return out;
}
