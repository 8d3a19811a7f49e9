import { Field, Float32, makeVector, type Schema, type Table } from "apache-arrow";
import type { StageInfo } from "../../src/core/define-stage.js";
import { InputError } from "../../src/core/errors.js";
import { sparkParamMaps } from "../../src/core/define-stage.js";
import type { RunContext } from "../../src/core/run-context.js";
import type { SavedStage } from "../../src/core/saved-stage.js";
import type { ItemRecommendationLists, Model, RecommendationLists, Recommender } from "../../src/core/stage.js";
import { filterRows, requireNumeric, schemaWith, withColumns } from "../../src/core/table.js";
import { factorTable } from "./factor-table.js";
import { integerIds } from "./input-columns.js";
import { alsParams, SPARK_ALS_MODEL_PARAMS, type AlsParams } from "./params.js";
import { predictPairs, recommendTopK, type FactorSet } from "./recommend.js";
import type { SimilarItems } from "../../src/core/similar-items.js";
import { similarItemsByCosine } from "./similar-items.js";

export const ALS_MODEL_CLASS = "org.apache.spark.ml.recommendation.ALSModel";

export interface AlsModel extends Model, Recommender, SimilarItems {
  readonly rank: number;
  readonly userFactors: FactorSet;
  readonly itemFactors: FactorSet;
}

/** Output schema of ALSModel.transform: the input plus a float32 prediction column. */
export function alsOutputSchema(p: AlsParams, schema: Schema, where: string): Schema {
  requireNumeric(schema, p.userCol, `${where}.userCol`);
  requireNumeric(schema, p.itemCol, `${where}.itemCol`);
  return schemaWith(schema, [new Field(p.predictionCol, new Float32(), true)]);
}

/**
 * Spark's ALSModel: predictions are float32 dot products (NaN for an unknown user or item, rows dropped with
 * coldStartStrategy drop); recommendations are top-k by score, ties to the larger id.
 */
export function alsModel(p: AlsParams, info: StageInfo, user: FactorSet, item: FactorSet, history: readonly number[] = []): AlsModel {
  const similarCache = {};
  return {
    role: "model",
    type: "als",
    ...info,
    params: p,
    rank: user.rank,
    userFactors: user,
    itemFactors: item,
    userCol: p.userCol,
    itemCol: p.itemCol,
    trainingHistory: history,
    settableParams: SPARK_ALS_MODEL_PARAMS,
    withParams(overrides: Record<string, unknown>): AlsModel {
      const bad = Object.keys(overrides).filter((k) => !SPARK_ALS_MODEL_PARAMS.includes(k));
      if (bad.length)
        throw new InputError("E_ARGS", `ALSModel: ${bad.join(", ")} cannot be set on a fitted model; settable: ${SPARK_ALS_MODEL_PARAMS.join(", ")}`);
      const q = alsParams.parse({ ...p, ...overrides });
      return alsModel(q, { ...info, explicitParams: new Set([...info.explicitParams, ...Object.keys(overrides)]) }, user, item, history);
    },
    transformSchema: (schema) => alsOutputSchema(p, schema, info.name),
    transform(table: Table) {
      const users = integerIds(table, p.userCol, info.name);
      const items = integerIds(table, p.itemCol, info.name);
      const pred = predictPairs(user, item, users, items);
      const out = withColumns(table, { [p.predictionCol]: makeVector(pred) });
      if (p.coldStartStrategy !== "drop") return out;
      const keep = new Uint8Array(pred.length);
      for (let i = 0; i < pred.length; i++) keep[i] = Number.isNaN(pred[i]) ? 0 : 1;
      return filterRows(out, keep);
    },
    knownUsers: () => user.ids,
    knownItems: () => item.ids,
    async recommendForUsers(users: Int32Array, k: number, ctx: RunContext, exclude?: { users: Int32Array; items: Int32Array }): Promise<RecommendationLists> {
      const top = await topFor(user, item, users, k, ctx, exclude ? { queryIds: exclude.users, targetIds: exclude.items } : undefined);
      return { users: top.queryIds, items: top.ids, scores: top.scores, counts: top.counts, k };
    },
    // The same top-k kernel with the factor roles swapped (items query, users are the targets), as Spark's
    // recommendForAllItems is recommendForAll(itemFactors, userFactors).
    async recommendForItems(
      items: Int32Array,
      k: number,
      ctx: RunContext,
      exclude?: { users: Int32Array; items: Int32Array },
    ): Promise<ItemRecommendationLists> {
      const top = await topFor(item, user, items, k, ctx, exclude ? { queryIds: exclude.items, targetIds: exclude.users } : undefined);
      return { items: top.queryIds, users: top.ids, scores: top.scores, counts: top.counts, k };
    },
    // Cosine of the item factors (implicit's similar_items), through the same top-k kernel on normalised factors.
    similarItems: (items, k, ctx) => similarItemsByCosine(item, items, k, ctx, similarCache),
    save(): SavedStage {
      return {
        className: ALS_MODEL_CLASS,
        uid: info.uid,
        // Spark's fit calls setBlockSize, so blockSize is always an explicitly set param of the model.
        ...sparkParamMaps(p, new Set([...info.explicitParams, "blockSize"]), SPARK_ALS_MODEL_PARAMS, alsParams),
        extra: { rank: user.rank },
        tables: { userFactors: factorTable(user), itemFactors: factorTable(item) },
      };
    },
  };
}

/**
 * Top `k` targets for each requested query id, one row per requested id in request order: ids the model never saw
 * get an empty row, as the Recommender contract says.
 */
async function topFor(
  queries: FactorSet,
  targets: FactorSet,
  ids: Int32Array,
  k: number,
  ctx: RunContext,
  exclude?: { queryIds: Int32Array; targetIds: Int32Array },
): Promise<{ queryIds: Int32Array; ids: Int32Array; scores: Float32Array; counts: Int32Array }> {
  const query = ids === queries.ids ? queries : subset(queries, ids);
  const top = await recommendTopK(query, targets, k, { workers: ctx.workers, exclude });
  if (query.ids.length === ids.length) return top;
  const row = new Map<number, number>();
  top.queryIds.forEach((id, r) => row.set(id, r));
  const out = new Int32Array(ids.length * k).fill(-1);
  const scores = new Float32Array(ids.length * k).fill(NaN);
  const counts = new Int32Array(ids.length);
  ids.forEach((id, q) => {
    const r = row.get(id);
    if (r === undefined) return;
    out.set(top.ids.subarray(r * k, r * k + k), q * k);
    scores.set(top.scores.subarray(r * k, r * k + k), q * k);
    counts[q] = top.counts[r];
  });
  return { queryIds: Int32Array.from(ids), ids: out, scores, counts };
}

/** The factors of the requested ids that the model knows, in request order (unknown ids are left out, as Spark's subset methods do). */
function subset(f: FactorSet, ids: Int32Array): FactorSet {
  const pos = new Map<number, number>();
  f.ids.forEach((id, i) => pos.set(id, i));
  const keep = [...new Set(Array.from(ids).filter((id) => pos.has(id)))];
  const out = new Float32Array(keep.length * f.rank);
  keep.forEach((id, i) => out.set(f.factors.subarray(pos.get(id)! * f.rank, (pos.get(id)! + 1) * f.rank), i * f.rank));
  return { ids: Int32Array.from(keep), factors: out, rank: f.rank };
}
