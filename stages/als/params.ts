import { z } from "zod";
import { columnName, seedParam } from "../../src/core/params.js";

const storageLevel = (doc: string) =>
  z
    .enum([
      "NONE",
      "DISK_ONLY",
      "DISK_ONLY_2",
      "DISK_ONLY_3",
      "MEMORY_ONLY",
      "MEMORY_ONLY_2",
      "MEMORY_ONLY_SER",
      "MEMORY_ONLY_SER_2",
      "MEMORY_AND_DISK",
      "MEMORY_AND_DISK_2",
      "MEMORY_AND_DISK_SER",
      "MEMORY_AND_DISK_SER_2",
      "OFF_HEAP",
    ])
    .default("MEMORY_AND_DISK")
    .describe(`${doc} (Spark caching only; accepted and recorded for compatibility, no effect in recpipe)`);

/** ALS params: Spark's names, defaults and ranges (pyspark.ml.recommendation.ALS), plus recpipe's `solver`. */
export const alsParams = z.object({
  rank: z.number().int().min(1).default(10).describe("rank of the factorization (number of latent factors)"),
  maxIter: z.number().int().min(0).default(10).describe("number of ALS sweeps (items solved first, then users); 0 returns the initial factors"),
  regParam: z.number().min(0).default(0.1).describe("regularization λ, scaled per row by its number of ratings (ALS-WR)"),
  alpha: z.number().min(0).default(1.0).describe("implicit feedback: confidence = 1 + alpha·|rating|"),
  implicitPrefs: z.boolean().default(false).describe("use the implicit-feedback formulation (preference = rating > 0)"),
  nonnegative: z.boolean().default(false).describe("constrain factors to be >= 0 (NNLS solve, as Spark)"),
  numUserBlocks: z.number().int().min(1).default(10).describe("Spark's user partitions; recpipe uses it only for Spark's initial-factor stream"),
  numItemBlocks: z.number().int().min(1).default(10).describe("Spark's item partitions; recpipe uses it only for Spark's initial-factor stream"),
  checkpointInterval: z
    .number()
    .int()
    .refine((x) => x === -1 || x >= 1, "must be -1 (off) or >= 1")
    .default(10)
    .describe("Spark checkpointing (no lineage in recpipe: recorded for compatibility)"),
  seed: seedParam(),
  coldStartStrategy: z.enum(["nan", "drop"]).default("nan").describe("unknown users/items at transform: nan (prediction NaN) or drop (remove the rows)"),
  intermediateStorageLevel: storageLevel("storage level of intermediate RDDs"),
  finalStorageLevel: storageLevel("storage level of the factor RDDs"),
  blockSize: z.number().int().min(1).default(4096).describe("Spark's block size for recommendForAll (recorded for compatibility)"),
  userCol: columnName("column of user ids (integers in int32 range)").default("user"),
  itemCol: columnName("column of item ids (integers in int32 range)").default("item"),
  ratingCol: z.string().default("rating").describe('column of ratings; "" means every rating is 1.0'),
  predictionCol: columnName("output column of predicted ratings (float32)").default("prediction"),
  solver: z
    .enum(["cholesky", "cg"])
    .default("cholesky")
    .describe("beyond Spark: cholesky (exact, Spark's) or cg (conjugate gradient, as benfred/implicit; fast for implicit feedback at high rank)"),
});

export type AlsParams = z.output<typeof alsParams>;

/** Params the Spark ALS estimator has (everything but recpipe's `solver`): what its saved metadata may contain. */
export const SPARK_ALS_PARAMS = Object.keys(alsParams.shape).filter((k) => k !== "solver");

/** Params ALSModel has in Spark. */
export const SPARK_ALS_MODEL_PARAMS = ["userCol", "itemCol", "predictionCol", "coldStartStrategy", "blockSize"];
