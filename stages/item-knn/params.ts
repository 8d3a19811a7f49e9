import { z } from "zod";
import { columnName } from "../../src/core/params.js";

/** item-knn params: ALS's column names and coldStartStrategy, benfred/implicit's K1 and B for BM25. */
export const itemKnnParams = z.object({
  userCol: columnName("column of user ids (integers in int32 range)").default("user"),
  itemCol: columnName("column of item ids (integers in int32 range)").default("item"),
  ratingCol: z
    .string()
    .default("rating")
    .describe('column of ratings (or counts, with implicitPrefs); "" means every rating is 1.0; duplicate (user, item) rows are summed'),
  predictionCol: columnName("output column of predictions (float32): see implicitPrefs").default("prediction"),
  similarity: z
    .enum(["cosine"])
    .default("cosine")
    .describe(
      "item-item similarity: cosine of the (weighted) item columns of the training matrix, sim(i,j) = x_i·x_j / (|x_i| |x_j| + shrinkage); with weighting bm25 the plain dot product x_i·x_j, as implicit's BM25Recommender",
    ),
  shrinkage: z
    .number()
    .min(0)
    .default(0)
    .describe(
      "added to the denominator of the cosine (|x_i| |x_j| + shrinkage): pulls similarities resting on few common users towards 0; 0 is plain cosine (not allowed with weighting bm25, which has no denominator)",
    ),
  k: z
    .number()
    .int()
    .min(1)
    .default(20)
    .describe("neighbours kept per item, the item itself never among them (implicit's K counts the item itself: k = K - 1)"),
  weighting: z
    .enum(["none", "bm25", "tfidf"])
    .default("none")
    .describe(
      "weights of the training matrix before the similarity (benfred/implicit's CosineRecommender, BM25Recommender, TFIDFRecommender): none (the ratings), tfidf (sqrt(r)·idf_u), bm25 (r(K1+1)/(K1·L_i + r)·idf_u), idf_u = ln(items) - ln(1 + items u rated)",
    ),
  K1: z.number().min(0).default(1.2).describe("BM25's term-frequency saturation (weighting bm25 only)"),
  B: z.number().min(0).max(1).default(0.75).describe("BM25's length normalisation, 0 to 1, over each item's rating sum (weighting bm25 only)"),
  implicitPrefs: z
    .boolean()
    .default(false)
    .describe(
      "false: ratings; the prediction is the similarity-weighted mean of the user's ratings on the item's k neighbours, sum(sim·r) / sum(|sim|), NaN when the user rated none of them. true: counts or confidences; the prediction is the score recommendations rank by, sum over the user's items j of r_uj·sim(j, i) for the items whose lists hold i (0 when none does)",
    ),
  coldStartStrategy: z
    .enum(["nan", "drop"])
    .default("nan")
    .describe("rows whose prediction is NaN (unknown user or item; explicit: no rated neighbour): nan keeps them with NaN, drop removes them"),
});

export type ItemKnnParams = z.output<typeof itemKnnParams>;
