import { Bool, makeVector, Table, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { doubleParams } from "../core/define-stage.js";
import type { StageRegistry } from "../core/registry.js";
import { SparkDouble, toSparkJson } from "../core/spark-json.js";
import type { PipelineStage } from "../core/stage.js";
import type { SavedStage } from "../core/saved-stage.js";
import { pipelineUid, savePipeline, type PipelineModel } from "./pipeline-model.js";
import type { TuneResult } from "./tune-result.js";

const MODEL_CLASS: Record<string, string> = {
  "cross-validator": "org.apache.spark.ml.tuning.CrossValidatorModel",
  "train-validation-split": "org.apache.spark.ml.tuning.TrainValidationSplitModel",
};

/**
 * Spark's CrossValidatorModel / TrainValidationSplitModel layout (ValidatorParams.saveImpl): the model's own params
 * plus `estimatorParamMaps` (values JSON-encoded as strings, isJson "true", as the Scala writer does), the metrics,
 * and `bestModel/`, `estimator/`, `evaluator/` folders.
 */
export function tunedModelSaved(t: TuneResult, best: PipelineModel, seed: number, name: string, registry: StageRegistry): SavedStage {
  const paramJson = (stage: PipelineStage, param: string, v: unknown) =>
    toSparkJson(typeof v === "number" && doubleParams(registry.get(stage.type).params).has(param) ? new SparkDouble(v) : v);
  const byName = new Map(t.bestStages.map((s) => [s.name, s]));
  const isCv = t.tuner.type === "cross-validator";
  const p = t.tuner.params;
  const own: Record<string, unknown> = isCv
    ? { numFolds: p.numFolds, foldCol: p.foldCol, seed: p.seed ?? seed }
    : { trainRatio: new SparkDouble(p.trainRatio as number), seed: p.seed ?? seed };
  const estimatorParamMaps = t.maps.map((m) =>
    m.entries.map((e) => ({ parent: byName.get(e.stage)!.uid, name: e.param, value: paramJson(byName.get(e.stage)!, e.param, e.value), isJson: "true" })),
  );
  return {
    className: MODEL_CLASS[t.tuner.type],
    uid: t.tuner.uid,
    paramMap: { ...own, estimatorParamMaps },
    defaultParamMap: {},
    extra: {
      ...(isCv ? { avgMetrics: t.summary.avgMetrics, stdMetrics: t.summary.stdMetrics } : { validationMetrics: t.summary.avgMetrics }),
      persistSubModels: false,
      recpipeTuning: { metric: t.summary.metric, bestIndex: t.bestIndex, bestParams: t.summary.best },
    },
    children: [
      { path: "evaluator", stage: t.evaluator.save() },
      { path: "estimator", stage: savePipeline(pipelineUid(seed, name), t.bestStages) },
      { path: "bestModel", stage: best.save() },
    ],
  };
}

/**
 * tuning.parquet: one row per param map with its params, each fold's metric, mean, std and `position` (1 = best;
 * not called `rank`, which would read as ALS's rank).
 */
export function tuningTable(t: TuneResult): Table {
  const cols: Record<string, Vector> = { paramMap: makeVector(Int32Array.from(t.trials.map((x) => x.index))) };
  t.maps[0]?.entries.forEach((e, j) => {
    const values = t.maps.map((m) => m.entries[j].value);
    const key = `${e.stage}.${e.param}`;
    if (values.every((v) => typeof v === "number")) cols[key] = makeVector(Float64Array.from(values as number[]));
    else if (values.every((v) => typeof v === "boolean")) cols[key] = vectorFromArray(values as boolean[], new Bool());
    else
      cols[key] = vectorFromArray(
        values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
        new Utf8(),
      );
  });
  const folds = t.trials[0]?.foldMetrics.length ?? 0;
  for (let f = 0; f < folds; f++) cols[`fold${f}`] = makeVector(Float64Array.from(t.trials.map((x) => x.foldMetrics[f])));
  cols[`mean_${t.summary.metric}`] = makeVector(Float64Array.from(t.trials.map((x) => x.mean)));
  cols[`std_${t.summary.metric}`] = makeVector(Float64Array.from(t.trials.map((x) => x.std)));
  cols.position = makeVector(Int32Array.from(t.trials.map((x) => x.rank)));
  cols.error = vectorFromArray(
    t.trials.map((x) => (x.errors.length ? x.errors.join("; ") : null)),
    new Utf8(),
  );
  return new Table(cols);
}
