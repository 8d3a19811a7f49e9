import { DataType, Field, Float32, makeVector, Precision, Table, type Schema } from "apache-arrow";
import { z } from "zod";
import { defineStage, sparkParamMaps, type StageInfo, loadFromParams, rebuildWithParams, savedParamsAndInfo, saveParams } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import { globalScoreRecommender } from "../src/core/global-score-recommender.js";
import { idColumn } from "../src/core/id-column.js";
import { keepTrainingIds } from "../src/core/training-ids.js";
import type { SavedStage } from "../src/core/saved-stage.js";
import type { Estimator, Model, Recommender } from "../src/core/stage.js";
import { float64Values, requireNumeric, schemaWith, withColumns } from "../src/core/table.js";
import { denseIds } from "../src/kernels/dense-ids.js";
import { makeIdLookup } from "../src/kernels/id-lookup.js";

const CLASS = "recpipe.baseline.BiasBaseline";
const MODEL_CLASS = "recpipe.baseline.BiasBaselineModel";
const TYPE = "bias-baseline";

const params = z.object({
  userCol: z.string().min(1).default("user").describe("integer user id column (e.g. a string-indexer output)"),
  itemCol: z.string().min(1).default("item").describe("integer item id column"),
  ratingCol: z.string().min(1).default("rating").describe("rating column"),
  predictionCol: z.string().min(1).default("prediction").describe("output column: global mean + user bias + item bias"),
  regParam: z
    .number()
    .nonnegative()
    .default(10)
    .describe("damping of the user and item biases (a bias is a sum of residuals over count + regParam; Koren uses 10-25)"),
  maxIter: z.number().int().positive().default(5).describe("alternating passes (item biases, then user biases)"),
});
type Params = z.output<typeof params>;

/** Learned biases: mu, plus biases by ascending id. */
export interface Biases {
  mean: number;
  userIds: Int32Array;
  userBias: Float64Array;
  itemIds: Int32Array;
  itemBias: Float64Array;
  /** Training rows per item (fitBiases counts them; a loaded model has none). */
  itemCounts?: Float64Array;
}

/**
 * Regularised baseline estimates (Koren 2008, §2.1) by alternating damped means: item biases
 * b_i = Σ(r − μ − b_u)/(λ + n_i), then user biases b_u = Σ(r − μ − b_i)/(λ + n_u), `maxIter` times.
 *
 * The ratings are regrouped by user once (a counting sort keeping row order inside a user), as item index and
 * rating: each pass then streams 8 to 12 bytes a rating, the user pass sums each user's run in a register
 * instead of scattering into an array, and the item pass reads one user bias per run. On 20M ratings that is about
 * half the time of passes over the rows in file order.
 */
export function fitBiases(users: Int32Array, items: Int32Array, ratings: Float32Array | Float64Array, regParam: number, maxIter: number): Biases {
  const n = ratings.length;
  const U = denseIds(users);
  const I = denseIds(items);
  const nu = U.uniq.length;
  const ni = I.uniq.length;
  let mean = 0;
  for (let r = 0; r < n; r++) mean += ratings[r];
  mean /= n;
  const start = new Int32Array(nu + 1);
  const itemCount = new Float64Array(ni);
  for (let r = 0; r < n; r++) {
    start[U.index[r] + 1]++;
    itemCount[I.index[r]]++;
  }
  for (let u = 0; u < nu; u++) start[u + 1] += start[u];
  const cursor = start.slice(0, nu);
  const item = new Int32Array(n);
  // The ratings regrouped in their own precision (4 bytes a rating for a Float32 column, not 8): each pass takes the
  // residual r - mu afresh, the same double every time, so the biases are those of a stored residual to the bit.
  const rating = new (ratings.constructor as new (n: number) => Float32Array | Float64Array)(n);
  for (let r = 0; r < n; r++) {
    const o = cursor[U.index[r]]++;
    item[o] = I.index[r];
    rating[o] = ratings[r];
  }
  const bu = new Float64Array(nu);
  const bi = new Float64Array(ni);
  const acc = new Float64Array(ni);
  for (let it = 0; it < maxIter; it++) {
    acc.fill(0);
    for (let u = 0; u < nu; u++) {
      const b = bu[u];
      for (let j = start[u], end = start[u + 1]; j < end; j++) acc[item[j]] += rating[j] - mean - b;
    }
    for (let i = 0; i < ni; i++) bi[i] = acc[i] / (regParam + itemCount[i]);
    for (let u = 0; u < nu; u++) {
      let sum = 0;
      const end = start[u + 1];
      for (let j = start[u]; j < end; j++) sum += rating[j] - mean - bi[item[j]];
      bu[u] = sum / (regParam + (end - start[u]));
    }
  }
  return { mean, userIds: U.uniq, userBias: bu, itemIds: I.uniq, itemBias: bi, itemCounts: itemCount };
}

/** Index of the first NaN, or the length when there is none. */
function firstNaN(r: Float32Array | Float64Array): number {
  for (let k = 0; k < r.length; k++) if (r[k] !== r[k]) return k;
  return r.length;
}

export const biasBaseline = defineStage({
  type: TYPE,
  role: "estimator",
  doc:
    "Baseline: global mean + damped user bias + damped item bias. Unknown users or items use the biases that are " +
    "known. As a recommender it ranks items by item bias (the same list for every user, seen items excluded), a " +
    "popularity-like baseline for ranking metrics.",
  sparkClass: CLASS,
  uidPrefix: "biasBaseline",
  params,
  create(p, info): Estimator {
    const self: Estimator = {
      role: "estimator",
      type: TYPE,
      ...info,
      params: p,
      transformSchema(schema) {
        requireNumeric(schema, p.ratingCol, `${info.name}.ratingCol`);
        return modelSchema(schema, p, info.name);
      },
      async fit(table) {
        self.transformSchema(table.schema);
        const u = idColumn(table, p.userCol, `${info.name}.userCol`);
        const i = idColumn(table, p.itemCol, `${info.name}.itemCol`);
        const r = ratingsAsStored(table, p.ratingCol, info.name);
        if (r.length === 0) throw new InputError("E_DATA", `${info.name}: no training rows`);
        // Ids without nulls (the usual case) leave only the ratings to check: one array read a row, not three.
        const firstBad = u.numInvalid === 0 && i.numInvalid === 0 ? firstNaN(r) : 0;
        for (let k = firstBad; k < r.length; k++) {
          if (!u.valid[k] || !i.valid[k] || Number.isNaN(r[k]))
            throw new InputError(
              "E_DATA",
              `${info.name}: training row ${k} has a null or NaN in "${!u.valid[k] ? p.userCol : !i.valid[k] ? p.itemCol : p.ratingCol}"`,
            );
        }
        const b = fitBiases(u.ids, i.ids, r, p.regParam, p.maxIter);
        // most-popular, fitted next on the same rows, is these ids and counts: it need not index them again.
        if (b.itemCounts) keepTrainingIds(table, p.userCol, p.itemCol, { userIds: b.userIds, itemIds: b.itemIds, itemCounts: b.itemCounts });
        return biasModel(p, info, b);
      },
      withParams: (o) => rebuildWithParams(biasBaseline, p, info, o),
      save: () => saveParams(biasBaseline, p, info),
    };
    return self;
  },
  loaders: {
    [CLASS]: (s): Estimator => loadFromParams(biasBaseline, s),
    [MODEL_CLASS]: (s) => {
      const { params: loaded, info } = savedParamsAndInfo(params, TYPE, s);
      const users = requireTable(s, "userBiases");
      const items = requireTable(s, "itemBiases");
      return biasModel(loaded, info, {
        mean: Number(s.extra?.globalMean),
        userIds: Int32Array.from(users.getChild("id")!.toArray() as Int32Array),
        userBias: Float64Array.from(users.getChild("bias")!.toArray() as Float64Array),
        itemIds: Int32Array.from(items.getChild("id")!.toArray() as Int32Array),
        itemBias: Float64Array.from(items.getChild("bias")!.toArray() as Float64Array),
      });
    },
  },
  example: () => ({
    params: { regParam: 1, maxIter: 3 },
    train: new Table({
      user: makeVector(new Int32Array([0, 0, 1, 1, 2, 2])),
      item: makeVector(new Int32Array([10, 11, 10, 12, 11, 12])),
      rating: makeVector(new Float32Array([5, 3, 4, 2, 1, 5])),
    }),
    test: new Table({
      user: makeVector(new Int32Array([0, 1, 9, 2])),
      item: makeVector(new Int32Array([12, 11, 10, 99])),
      rating: makeVector(new Float32Array([4, 3, 2, 1])),
    }),
  }),
});

/** A Float32 rating column in one chunk without nulls as its own buffer (read only), any other as float64Values. */
function ratingsAsStored(table: Table, col: string, where: string): Float32Array | Float64Array {
  const v = table.getChild(col);
  if (v && v.data.length === 1 && v.nullCount === 0 && DataType.isFloat(v.type) && v.type.precision === Precision.SINGLE)
    return (v.data[0].values as Float32Array).subarray(0, v.length);
  return float64Values(table, col, where);
}

function modelSchema(schema: Schema, p: Params, where: string): Schema {
  requireNumeric(schema, p.userCol, `${where}.userCol`);
  requireNumeric(schema, p.itemCol, `${where}.itemCol`);
  return schemaWith(schema, [new Field(p.predictionCol, new Float32(), false)]);
}

export function requireTable(s: SavedStage, name: string): Table {
  const t = s.tables?.[name];
  if (!t) throw new InputError("E_MODEL", `${s.className} ${s.uid}: the ${name}/ table is missing`);
  return t;
}

function biasModel(p: Params, info: StageInfo, b: Biases): Model & Recommender {
  const rec = globalScoreRecommender({
    userCol: p.userCol,
    itemCol: p.itemCol,
    userIds: b.userIds,
    userOffsets: b.userBias.map((x) => b.mean + x),
    itemIds: b.itemIds,
    itemScores: b.itemBias,
  });
  return {
    ...rec,
    role: "model",
    type: TYPE,
    ...info,
    params: p,
    transformSchema: (schema) => modelSchema(schema, p, info.name),
    transform(table: Table) {
      const u = idColumn(table, p.userCol, `${info.name}.userCol`);
      const i = idColumn(table, p.itemCol, `${info.name}.itemCol`);
      const userRow = makeIdLookup(b.userIds);
      const itemRow = makeIdLookup(b.itemIds);
      const out = new Float32Array(table.numRows);
      for (let r = 0; r < out.length; r++) {
        const du = u.valid[r] ? userRow(u.ids[r]) : -1;
        const di = i.valid[r] ? itemRow(i.ids[r]) : -1;
        out[r] = b.mean + (du >= 0 ? b.userBias[du] : 0) + (di >= 0 ? b.itemBias[di] : 0);
      }
      return withColumns(table, { [p.predictionCol]: makeVector(out) });
    },
    save: () => ({
      className: MODEL_CLASS,
      uid: info.uid,
      ...sparkParamMaps(p, info.explicitParams),
      extra: { globalMean: b.mean },
      tables: {
        userBiases: new Table({ id: makeVector(b.userIds), bias: makeVector(b.userBias) }),
        itemBiases: new Table({ id: makeVector(b.itemIds), bias: makeVector(b.itemBias) }),
      },
    }),
  };
}
