import { Field, Float32, List, makeVector, Table, vectorFromArray } from "apache-arrow";
import { als } from "../../../../stages/als/index.js";
import { alsCandidates } from "./ranking-sql.js";
import { defineRemoteStage } from "./remote-stage.js";

const ALS_MODEL = "org.apache.spark.ml.recommendation.ALSModel";

/**
 * Spark's ALS. Every Spark ALS param is sent with recpipe's resolved value (including the seed derived from the
 * pipeline seed), so the cluster fits what the local engine would; recpipe's conjugate-gradient solver has no Spark
 * counterpart. The fitted factors come back sorted by id.
 */
export const alsRemote = defineRemoteStage<{ solver?: string }>({
  definition: als,
  runs: "ml",
  className: "org.apache.spark.ml.recommendation.ALS",
  params: {
    rank: "int",
    maxIter: "int",
    regParam: "double",
    alpha: "double",
    implicitPrefs: "boolean",
    nonnegative: "boolean",
    numUserBlocks: "int",
    numItemBlocks: "int",
    checkpointInterval: "int",
    seed: "long",
    coldStartStrategy: "string",
    intermediateStorageLevel: "string",
    finalStorageLevel: "string",
    blockSize: "int",
    userCol: "string",
    itemCol: "string",
    ratingCol: "string",
    predictionCol: "string",
  },
  refuse: (p) =>
    p.solver === "cg"
      ? {
          key: "solver",
          reason:
            "solver: cg is recpipe's conjugate-gradient solver; Spark's ALS solves exactly (Cholesky or NNLS). Use solver: cholesky (the default) to run on Spark",
        }
      : undefined,
  async fetch(ml, model, saved, name) {
    const what = `fetching the factors of ${name}`;
    const [rank, userFactors, itemFactors] = await Promise.all([
      ml.fetchValue(model, "rank", what),
      ml.collect(ml.fetchRelation(model, "userFactors"), what).then(sortedById),
      ml.collect(ml.fetchRelation(model, "itemFactors"), what).then(sortedById),
    ]);
    return { ...saved, className: ALS_MODEL, extra: { ...saved.extra, rank }, tables: { userFactors, itemFactors } };
  },
  candidates: (ml, model, userCol, itemCol) => alsCandidates(ml, model, userCol, itemCol),
});

/** Factor rows in id order: Spark returns them in partition order; sorted, the written model is the same every run. */
function sortedById(t: Table): Table {
  const ids = Int32Array.from(t.getChild("id")!.toArray() as Int32Array);
  const features = t.getChild("features")!;
  const order = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b]);
  const type = new List(new Field("element", new Float32(), false));
  return new Table({
    id: makeVector(Int32Array.from(order, (r) => ids[r])),
    features: vectorFromArray(
      order.map((r) => Float32Array.from(features.get(r) as Iterable<number>)),
      type,
    ),
  });
}
