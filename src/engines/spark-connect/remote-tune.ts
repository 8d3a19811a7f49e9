import type { StageRegistry } from "../../core/registry.js";
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
 * models are deleted on the server as soon as it is scored. The grid loop itself is recpipe's (src/run/tune.ts).
 *
 * The training rows with their fold draw are cached (`cache`, released when the engine closes), as PySpark's
 * CrossValidator caches its folds: otherwise every trial re-reads and re-draws the rows before its fit.
 */
export function remoteTrials(ml: SparkMl, registry: StageRegistry, train: Relation, cache: (r: Relation) => Promise<void>): TrialEngine {
  let folds: { fit: Relation; validate: Relation }[] = [];
  return {
    async prepareFolds(tuner, seed) {
      if (drawsOneFold(tuner)) {
        const drawn = sql(`SELECT *, rand(${num(seed)}) AS ${FOLD_COL} FROM {train}`, { train });
        await cache(drawn);
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
      const drawn = foldCol ? train : sql(`SELECT *, rand(${num(seed)}) AS ${FOLD_COL} FROM {train}`, { train });
      if (drawn !== train) await cache(drawn);
      folds = [];
      for (let f = 0; f < k; f++) {
        const inFold = foldCol ? `CAST(${ident(foldCol)} AS INT) = ${f}` : `${FOLD_COL} >= ${num(f / k)} AND ${FOLD_COL} < ${num((f + 1) / k)}`;
        folds.push({ fit: sql(`SELECT * FROM {d} WHERE NOT (${inFold})`, { d: drawn }), validate: sql(`SELECT * FROM {d} WHERE ${inFold}`, { d: drawn }) });
      }
      return k;
    },
    async trial(candidate, f, evaluator, ctx, withBaselines) {
      const model = await fitRemote(ml, registry, candidate, folds[f].fit, ctx.seed, `for fold ${f}`);
      try {
        const metric = await evaluateRemote(ml, registry, model, evaluator, folds[f].fit, folds[f].validate, ctx.seed, `scoring fold ${f}`);
        const baselines = withBaselines ? await remoteBaselines(ml, registry, model, [evaluator], folds[f].fit, folds[f].validate, ctx.seed) : undefined;
        return { metric, baselines };
      } finally {
        await model.release();
      }
    },
    // The cluster has its own cores: concurrency (parallelism) does not divide anything here.
    workersPerTrial: (workers) => workers,
  };
}
