import type { Table } from "apache-arrow";

/**
 * What a fitted model (or an unfitted stage, an evaluator, a tuner) hands to io/ to be saved, and what io/
 * hands back when it loads a directory. It mirrors Spark's MLWriter layout without knowing about files:
 *
 *   <dir>/metadata/part-00000      one JSON line: class, timestamp, sparkVersion, uid, paramMap, defaultParamMap, ...extra
 *   <dir>/<tableName>/part-*.parquet   one folder per entry of `tables` (ALS: userFactors, itemFactors; StringIndexer: data)
 *   <dir>/<child.path>/...        nested stages (PipelineModel: stages/0_uid; CrossValidatorModel: bestModel, estimator, evaluator)
 *
 * Stages never import io/ (a lint rule enforces it): their save() returns this value and io/ decides how it is written.
 */
export interface SavedStage {
  /** JVM class name, e.g. org.apache.spark.ml.recommendation.ALSModel; recpipe-only classes use the `recpipe.` namespace. */
  className: string;
  uid: string;
  /** Params set explicitly (Spark's paramMap). Values are JSON-encodable as Spark's Param.jsonEncode does. */
  paramMap: Record<string, unknown>;
  /** Params at their default (Spark's defaultParamMap); absent in models written by Spark < 2.4. */
  defaultParamMap?: Record<string, unknown>;
  /** Extra top-level metadata keys, in order (ALS: rank; CrossValidatorModel: avgMetrics, ...; recpipe: recpipeVersion, ...). */
  extra?: Record<string, unknown>;
  /** Spark version written into metadata, or read from it. */
  sparkVersion?: string;
  /** Epoch milliseconds written into metadata, or read from it. */
  timestamp?: number;
  /** Parquet folders of the stage, by folder name. */
  tables?: Record<string, Table>;
  /** Nested stages, in order, by their path relative to this stage's directory. */
  children?: { path: string; stage: SavedStage }[];
  /**
   * Where a loaded stage came from (its directory, as the user wrote the path), so loaders can name the exact folder
   * in an error. Set by io/ on load; never written.
   */
  origin?: string;
}
