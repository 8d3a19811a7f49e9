import { makeVector, Table } from "apache-arrow";
import { defineStage, rebuildWithParams, sparkParamMaps, type StageInfo } from "../../src/core/define-stage.js";
import { InputError } from "../../src/core/errors.js";
import { paramsFromSaved } from "../../src/core/saved-params.js";
import type { Estimator } from "../../src/core/stage.js";
import { requireNumeric } from "../../src/core/table.js";
import { ALS_MODEL_CLASS, alsModel, alsOutputSchema } from "./als-model.js";
import { factorSetFrom } from "./factor-table.js";
import { idValues, ratingValues } from "./input-columns.js";
import { alsParams, SPARK_ALS_PARAMS, type AlsParams } from "./params.js";
import { trainAls } from "./train.js";

const ALS_CLASS = "org.apache.spark.ml.recommendation.ALS";

/**
 * Spark's ALS: alternating least squares matrix factorization, explicit (ALS-WR) or implicit (Hu-Koren-Volinsky),
 * with Spark's maths (ALS.scala: the same normal equations, regularisation and initial factors), run by WebAssembly SIMD kernels on all cores.
 */
export const als = defineStage({
  type: "als",
  role: "estimator",
  doc: "Alternating least squares matrix factorization (Spark ALS): explicit ratings with λ scaled by each row's rating count, or implicit feedback with confidence 1 + alpha·|r|. Fits user and item factors; predicts their dot product and recommends the top-k items.",
  sparkClass: ALS_CLASS,
  uidPrefix: "als",
  params: alsParams,
  create: (p, info) => alsEstimator(p, info),
  loaders: {
    // Spark's ALS.load: an unfitted estimator, as a CrossValidator's estimator/ folder or ALS.save writes it.
    [ALS_CLASS]: (s): Estimator => {
      const { raw, explicit } = paramsFromSaved(s, SPARK_ALS_PARAMS);
      // recpipe's own params travel in an extra key that Spark ignores; a value other than the default was set.
      const own = s.extra?.recpipeParams;
      if (own && typeof own === "object") {
        const solver = (own as Record<string, unknown>).solver;
        if (solver !== undefined) {
          raw.solver = solver;
          if (solver !== alsParams.shape.solver.parse(undefined)) explicit.add("solver");
        }
      }
      return alsEstimator(alsParams.parse(raw), { uid: s.uid, name: "als", explicitParams: explicit });
    },
    [ALS_MODEL_CLASS]: (s) => {
      // Name the folder when io/ says where the stage came from, so a broken file can be found.
      const at = s.origin ?? `ALSModel ${s.uid}`;
      const { raw, explicit } = paramsFromSaved(s, Object.keys(alsParams.shape));
      const p = alsParams.parse(raw);
      const rank = Number(s.extra?.rank);
      if (!Number.isInteger(rank) || rank < 1)
        throw new InputError("E_MODEL", `${at}/metadata: "rank" must be an integer >= 1; found ${JSON.stringify(s.extra?.rank)}`);
      const uf = s.tables?.userFactors,
        itf = s.tables?.itemFactors;
      if (!uf || !itf)
        throw new InputError(
          "E_MODEL",
          `${at}: ALSModel needs userFactors/ and itemFactors/ Parquet folders; found ${Object.keys(s.tables ?? {}).join(", ") || "none"}`,
        );
      return alsModel(
        p,
        { uid: s.uid, name: "als", explicitParams: explicit },
        factorSetFrom(uf, rank, `${at}/userFactors`),
        factorSetFrom(itf, rank, `${at}/itemFactors`),
      );
    },
  },
  example: () => {
    const user = new Int32Array([0, 0, 1, 1, 2, 2, 3, 3]);
    const item = new Int32Array([0, 1, 1, 2, 0, 2, 1, 2]);
    const rating = new Float32Array([4, 2, 3, 4, 1, 5, 2, 3]);
    return {
      params: { rank: 2, maxIter: 3, seed: 1, coldStartStrategy: "drop" },
      train: new Table({ user: makeVector(user), item: makeVector(item), rating: makeVector(rating) }),
    };
  },
});

function alsEstimator(p: AlsParams, info: StageInfo): Estimator {
  return {
    role: "estimator",
    type: "als",
    ...info,
    params: p,
    transformSchema(schema) {
      if (p.ratingCol !== "") requireNumeric(schema, p.ratingCol, `${info.name}.ratingCol`);
      return alsOutputSchema(p, schema, info.name);
    },
    async fit(table, ctx) {
      const where = info.name;
      if (table.numRows === 0) throw new InputError("E_DATA", `${where}: No ratings available from the training data (0 rows)`);
      // Views of the table's columns where they already hold valid ids and ratings: the CSR is built from them directly.
      const r = { user: idValues(table, p.userCol, where), item: idValues(table, p.itemCol, where), rating: ratingValues(table, p.ratingCol, where) };
      const bar = ctx.progress.start(`${where}: ALS sweeps`, p.maxIter, "sweeps");
      const f = await trainAls(
        r,
        {
          rank: p.rank,
          maxIter: p.maxIter,
          regParam: p.regParam,
          alpha: p.alpha,
          implicitPrefs: p.implicitPrefs,
          nonnegative: p.nonnegative,
          seed: p.seed ?? ctx.seed,
          solver: p.solver,
          numUserBlocks: p.numUserBlocks,
          numItemBlocks: p.numItemBlocks,
        },
        { workers: ctx.workers, kernel: ctx.alsKernel, onIteration: (i) => bar.tick(i), computeLoss: true },
      );
      bar.done();
      return alsModel(
        p,
        info,
        { ids: f.userIds, factors: f.userFactors, rank: f.rank },
        { ids: f.itemIds, factors: f.itemFactors, rank: f.rank },
        f.lossHistory,
      );
    },
    withParams: (o) => rebuildWithParams(als, p, info, o),
    save() {
      const { paramMap, defaultParamMap } = sparkParamMaps(p, info.explicitParams, SPARK_ALS_PARAMS, alsParams);
      return { className: ALS_CLASS, uid: info.uid, paramMap, defaultParamMap, extra: { recpipeParams: { solver: p.solver } } };
    },
  };
}
