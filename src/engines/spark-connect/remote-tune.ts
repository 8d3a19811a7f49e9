import type { LoadedPipeline } from "../../spec/load-pipeline-file.js";
import { drawsOneFold, type TrialEngine } from "../engine.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import type { SparkMl } from "./transport/ml.js";
import { sql } from "./transport/plan.js";
import { evaluateRemote, remoteBaselines } from "./remote-evaluate.js";
import { fitRemote } from "./remote-pipeline.js";
import { ident, num } from "./transport/sql-text.js";

const FOLD_COL = "__recpipe_fold_draw";

/**
 * Trials on the cluster, as PySpark's CrossValidator runs them over Connect: folds are Spark SQL over the training
 * relation (one `rand(seed)` draw per row, or the rows' foldCol), each trial a remote Fit + Evaluate, and the trial's
 * models are deleted on the server once it is scored, a few trials' models per Delete (SparkMl.deleteSoon). The grid loop itself is recpipe's (src/run/tune.ts).
 *
 * The training rows with their fold draw are computed once and kept on the cluster (`keep`: a local checkpoint,
 * released when the engine closes), as PySpark's CrossValidator caches its folds: otherwise every trial re-reads,
 * re-splits and re-draws the rows before its fit and again before its evaluation.
 */
export function remoteTrials(ml: SparkMl, loaded: LoadedPipeline, train: Relation, keep: (r: Relation) => Promise<Relation>): TrialEngine {
  const { registry } = loaded;
  let folds: { fit: Relation; validate: Relation }[] = [];
  return {
    async prepareFolds(tuner, seed) {
      if (drawsOneFold(tuner)) {
        const drawn = await keep(sql(`SELECT *, rand(${num(seed)}) AS ${FOLD_COL} FROM {train}`, { train }));
        const ratio = num(tuner.params.trainRatio as number);
        folds = [
          {
            fit: sql(`SELECT * FROM {d} WHERE ${FOLD_COL} < ${ratio}`, { d: drawn }),
            validate: sql(`SELECT * FROM {d} WHERE ${FOLD_COL} >= ${ratio}`, { d: drawn }),
          },
        ];
        return 1;
      }
      const k = tuner.params.numFolds as number;
      const foldCol = tuner.params.foldCol as string;
      const drawn = await keep(foldCol ? train : sql(`SELECT *, rand(${num(seed)}) AS ${FOLD_COL} FROM {train}`, { train }));
      folds = [];
      for (let f = 0; f < k; f++) {
        const inFold = foldCol ? `CAST(${ident(foldCol)} AS INT) = ${f}` : `${FOLD_COL} >= ${num(f / k)} AND ${FOLD_COL} < ${num((f + 1) / k)}`;
        folds.push({ fit: sql(`SELECT * FROM {d} WHERE NOT (${inFold})`, { d: drawn }), validate: sql(`SELECT * FROM {d} WHERE ${inFold}`, { d: drawn }) });
      }
      return k;
    },
    async trial(candidate, f, evaluator, ctx, withBaselines) {
      const { fit, validate } = folds[f];
      const model = await fitRemote(ml, registry, candidate, fit, ctx.seed, `for fold ${f}`);
      try {
        // The fold's baselines are jobs of their own: sent beside the trial's metric, not after it.
        const [metric, baselines] = await Promise.all([
          evaluateRemote(ml, registry, model, evaluator, fit, validate, ctx.seed, `scoring fold ${f}`),
          withBaselines ? remoteBaselines(ml, registry, model, [evaluator], fit, validate, ctx.seed, loaded.spec.baselines) : undefined,
        ]);
        return { metric, baselines };
      } finally {
        model.releaseSoon();
      }
    },
    // The cluster has its own cores: concurrency (parallelism) does not divide anything here.
    workersPerTrial: (workers) => workers,
  };
}
