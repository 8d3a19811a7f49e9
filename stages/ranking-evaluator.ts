import { makeVector, Table } from "apache-arrow";
import { z } from "zod";
import { defineStage, sparkParamMaps, type StageInfo } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import { idColumn } from "../src/core/id-column.js";
import { seenPairs } from "../src/core/seen-pairs.js";
import { paramsFromSaved } from "../src/core/saved-params.js";
import type { SavedStage } from "../src/core/saved-stage.js";
import type { Evaluator, EvaluationInput, Recommender } from "../src/core/stage.js";
import type { RunContext } from "../src/core/run-context.js";
import { float64Column, requireNumeric } from "../src/core/table.js";
import { rankingMetric, type RankingQueries } from "../src/kernels/ranking-metrics.js";
import { denseIds } from "../src/kernels/dense-ids.js";
import { expectedPercentileRank } from "./percentile-rank.js";

const CLASS = "org.apache.spark.ml.evaluation.RankingEvaluator";
/**
 * Saved class of an evaluator whose metric Spark does not have: Spark's RankingEvaluator loader would refuse the
 * metricName (its param validator lists only Spark's five), so a model tuned on hitRateAtK or mrrAtK says plainly that
 * it is recpipe's, and Spark names the class it cannot find.
 */
export const RECPIPE_RANKING_EVALUATOR_CLASS = "recpipe.evaluation.RankingEvaluator";
const TYPE = "ranking-evaluator";

const SPARK_METRICS = ["meanAveragePrecision", "meanAveragePrecisionAtK", "precisionAtK", "ndcgAtK", "recallAtK"] as const;
const metricNames = [...SPARK_METRICS, "hitRateAtK", "mrrAtK", "expectedPercentileRank"] as const;
/** Metrics of the whole ranked list rather than its top k: keyed without `@k`, and lower is better. */
const EPR = "expectedPercentileRank";

const params = z.object({
  metricName: z
    .enum(metricNames)
    .default("meanAveragePrecision")
    .describe(
      "Spark's meanAveragePrecision (over the top k, divided by the number of relevant items), meanAveragePrecisionAtK, precisionAtK (always divides by k), " +
        "ndcgAtK (binary gains, natural log), recallAtK; recpipe adds hitRateAtK (share of users with a hit in the top k), mrrAtK (mean reciprocal rank of the first hit) " +
        "and expectedPercentileRank (Hu, Koren, Volinsky 2008; the PySpark course's ROEM: sum(r * rank) / sum(r) over test pairs, rank the item's PERCENT_RANK in the user's full list of items unseen in training, 0 top, 1 bottom, ties sharing a rank; r is labelCol; lower is better, random about 0.5; k is not used)",
    ),
  k: z.number().int().positive().default(10).describe("how many recommendations per user are scored"),
  labelCol: z.string().min(1).default("rating").describe("rating column of the test rows, used with relevanceThreshold and as expectedPercentileRank's weight"),
  relevanceThreshold: z
    .number()
    .optional()
    .describe("recpipe extension: only test rows with labelCol >= this count as relevant; unset, every test item of a user is relevant"),
});
type Params = z.output<typeof params>;

/**
 * Relevant items per user from (user, item) pairs: users ascending, items distinct and ascending per user (CSR).
 * A counting sort by user, then a sort of each user's few items: O(n) plus small sorts, no global comparison sort.
 */
export function relevantSets(users: Int32Array, items: Int32Array): { users: Int32Array; relPtr: Int32Array; rel: Int32Array } {
  const { uniq, index } = denseIds(users);
  const ptr = new Int32Array(uniq.length + 1);
  for (let j = 0; j < index.length; j++) ptr[index[j] + 1]++;
  for (let u = 0; u < uniq.length; u++) ptr[u + 1] += ptr[u];
  const fill = ptr.slice(0, uniq.length);
  const byUser = new Int32Array(items.length);
  for (let j = 0; j < index.length; j++) byUser[fill[index[j]]++] = items[j];
  const relPtr = new Int32Array(uniq.length + 1);
  let m = 0;
  for (let u = 0; u < uniq.length; u++) {
    const own = byUser.subarray(ptr[u], ptr[u + 1]).sort();
    for (let j = 0; j < own.length; j++) if (j === 0 || own[j] !== own[j - 1]) byUser[m++] = own[j]; // duplicates dropped
    relPtr[u + 1] = m;
  }
  return { users: uniq, relPtr, rel: byUser.slice(0, m) };
}

export const rankingEvaluator = defineStage({
  type: TYPE,
  role: "evaluator",
  doc:
    "Spark's RankingEvaluator, computed from the model's top-k recommendations for every user with relevant test " +
    "items (items the user rated in training are excluded from the recommendations), against the user's distinct " +
    "test items. Users without test items are not queried. Needs a model that can rank (als, bias-baseline, most-popular).",
  sparkClass: CLASS,
  uidPrefix: "rankEval",
  params,
  create(p, info): Evaluator {
    return rankingEvaluatorOf(p, info);
  },
  loaders: {
    [CLASS]: (s): Evaluator => loadRankingEvaluator(s),
    [RECPIPE_RANKING_EVALUATOR_CLASS]: (s): Evaluator => loadRankingEvaluator(s),
  },
  example: () => ({
    params: { metricName: "ndcgAtK", k: 5 },
    train: new Table({
      user: makeVector(new Int32Array([0, 0, 1])),
      item: makeVector(new Int32Array([1, 2, 0])),
      rating: makeVector(new Float32Array([5, 4, 3])),
    }),
  }),
});

function rankingEvaluatorOf(p: Params, info: StageInfo): Evaluator {
  const atK = p.metricName !== "meanAveragePrecision" && p.metricName !== EPR;
  return {
    role: "evaluator",
    type: TYPE,
    ...info,
    params: p,
    metricKey: atK ? `${p.metricName}@${p.k}` : p.metricName,
    isLargerBetter: p.metricName !== EPR,
    needsRecommender: true,
    readsPredictions: false,
    async evaluate(input: EvaluationInput, ctx: RunContext) {
      const rec = input.recommender;
      if (!rec)
        throw new InputError(
          "E_SPEC",
          `${info.name}: ranking metric ${p.metricName} needs a model that can rank (als, bias-baseline, most-popular); the pipeline's last model cannot`,
        );
      const test = input.testTransformed ?? input.predictions;
      if (p.metricName === EPR) return expectedPercentileRank(rec, test, input.trainTransformed, p, info.name, ctx);
      const { users, relPtr, rel } = relevantFromTest(test, rec, p, info.name);
      if (users.length === 0) {
        ctx.warn(`${info.name}: no test user has a relevant item; ${p.metricName} is NaN`);
        return NaN;
      }
      // A run that also recommends computes the lists once, for more users and a k at least this large (same order,
      // so its first k entries are this k's lists); otherwise they are computed here.
      const shared = input.topK && input.topK.k >= p.k && input.topKRecommender === rec ? input.topK : undefined;
      const lists =
        shared ?? (await rec.recommendForUsers(users, p.k, ctx, input.trainTransformed ? seenPairs(input.trainTransformed, rec, info.name) : undefined));
      // Recommenders leave out users they do not know (Spark's recommendForUserSubset does the same), so the lists are
      // matched back by user id: a test user the model never saw (e.g. absent from a CV fold) gets an empty list, a miss.
      const listOf = new Map<number, number>();
      lists.users.forEach((u, i) => listOf.set(u, i));
      const predPtr = new Int32Array(users.length + 1);
      for (let q = 0; q < users.length; q++) {
        const l = listOf.get(users[q]);
        predPtr[q + 1] = predPtr[q] + (l === undefined ? 0 : Math.min(p.k, lists.counts[l]));
      }
      const pred = new Int32Array(predPtr[users.length]);
      for (let q = 0; q < users.length; q++) {
        const l = listOf.get(users[q]);
        if (l !== undefined) pred.set(lists.items.subarray(l * lists.k, l * lists.k + Math.min(p.k, lists.counts[l])), predPtr[q]);
      }
      const queries: RankingQueries = { predPtr, pred, relPtr, rel };
      return rankingMetric(p.metricName, queries, p.k);
    },
    save() {
      const { relevanceThreshold, ...sparkParams } = p;
      return {
        className: (SPARK_METRICS as readonly string[]).includes(p.metricName) ? CLASS : RECPIPE_RANKING_EVALUATOR_CLASS,
        uid: info.uid,
        ...sparkParamMaps(sparkParams, info.explicitParams),
        ...(relevanceThreshold !== undefined ? { extra: { recpipeRelevanceThreshold: relevanceThreshold } } : {}),
      };
    },
  };
}

/**
 * Per test table, the relevant sets: the model and every baseline are scored against the same test rows, and on 20M
 * rows building them costs more than ranking with a global order.
 */
const relevantMemo = new WeakMap<Table, Map<string, ReturnType<typeof relevantSets>>>();

function memo<V>(cache: WeakMap<Table, Map<string, V>>, table: Table, key: string, make: () => V): V {
  let byKey = cache.get(table);
  if (!byKey) cache.set(table, (byKey = new Map()));
  let v = byKey.get(key);
  if (v === undefined) byKey.set(key, (v = make()));
  return v;
}

function loadRankingEvaluator(s: SavedStage): Evaluator {
  const { raw, explicit } = paramsFromSaved(s, Object.keys(params.shape));
  const t = s.extra?.recpipeRelevanceThreshold;
  if (typeof t === "number") raw.relevanceThreshold = t;
  return rankingEvaluatorOf(params.parse(raw), { uid: s.uid, name: TYPE, explicitParams: explicit });
}

function relevantFromTest(test: Table, rec: Recommender, p: Params, where: string) {
  const key = `${rec.userCol}\u0000${rec.itemCol}\u0000${p.relevanceThreshold ?? ""}\u0000${p.relevanceThreshold === undefined ? "" : p.labelCol}`;
  return memo(relevantMemo, test, key, () => relevantFromTestRows(test, rec, p, where));
}

function relevantFromTestRows(test: Table, rec: Recommender, p: Params, where: string) {
  const u = idColumn(test, rec.userCol, `${where} (test rows, the model's userCol)`);
  const it = idColumn(test, rec.itemCol, `${where} (test rows, the model's itemCol)`);
  const keep = new Uint8Array(test.numRows);
  let ratings: Float64Array | undefined;
  if (p.relevanceThreshold !== undefined) {
    requireNumeric(test.schema, p.labelCol, `${where}.labelCol`);
    ratings = float64Column(test, p.labelCol, where);
  }
  let n = 0;
  for (let i = 0; i < keep.length; i++) {
    keep[i] = u.valid[i] && it.valid[i] && (!ratings || ratings[i] >= p.relevanceThreshold!) ? 1 : 0;
    n += keep[i];
  }
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let i = 0, o = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    users[o] = u.ids[i];
    items[o++] = it.ids[i];
  }
  return relevantSets(users, items);
}
