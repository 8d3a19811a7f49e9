import type { Table } from "apache-arrow";
import { mlflowKey, paramValue } from "./mlflow-keys.js";
import type { Metric, Param, Tag } from "./run-record.js";

/** One param map of a search, as MLflow's CrossValidator autologging logs it: a child run of the tuned run. */
export interface ChildRun {
  name: string;
  params: Param[];
  metrics: Metric[];
  tags: Tag[];
  /** A map whose folds failed is a FAILED child run. */
  failed: boolean;
}

/**
 * tuning.parquet -> child runs: the map's params (addressed as `--set` does: `pipeline.als.rank`, over the parent's
 * other params), each fold's metric (`fold0.rmse`, ...), `avg_rmse` and `std_rmse` (MLflow autologging's names) and
 * the map's `position` (1 = best). Key order follows the grid.
 */
export function childRuns(tuning: Table, parentName: string, parentParams: Param[], tuner: string, timestamp: number): ChildRun[] {
  const names = tuning.schema.fields.map((f) => f.name);
  const mean = names.find((n) => n.startsWith("mean_"));
  const metric = mean ? mean.slice("mean_".length) : "metric";
  const folds = names.filter((n) => /^fold\d+$/.test(n));
  const paramCols = names.filter(
    (n) => n !== "paramMap" && n !== "position" && n !== "error" && !folds.includes(n) && !n.startsWith("mean_") && !n.startsWith("std_"),
  );
  const rows = tuning.toArray() as Record<string, unknown>[];
  return rows.map((row) => {
    const own = paramCols.map((c) => ({ key: mlflowKey(`pipeline.${c}`), value: paramValue(jsonValue(row[c])) }));
    const overridden = new Set(own.map((p) => p.key));
    const metrics: Metric[] = [];
    const push = (key: string, v: unknown) => {
      if (typeof v === "number" || typeof v === "bigint")
        metrics.push({ key: mlflowKey(key), value: Number.isFinite(Number(v)) ? Number(v) : String(v), timestamp, step: 0 });
    };
    folds.forEach((f) => push(`${f}.${metric}`, row[f]));
    // A train-validation-split has one fold: MLflow logs its validation metric under the metric's own name.
    if (tuner === "train-validation-split") push(metric, row[mean ?? ""]);
    else {
      push(`avg_${metric}`, row[mean ?? ""]);
      push(`std_${metric}`, row[`std_${metric}`]);
    }
    push("position", row.position);
    const label = paramCols.map((c) => `${c}=${String(jsonValue(row[c]))}`).join(", ");
    const error = typeof row.error === "string" ? row.error : undefined;
    return {
      name: `${parentName} [${label}]`,
      params: [...parentParams.filter((p) => !overridden.has(p.key)), ...own],
      metrics,
      tags: [
        { key: "estimator_name", value: "Pipeline" },
        { key: "estimator_class", value: "pyspark.ml.pipeline.Pipeline" },
        { key: "recpipe.paramMap", value: String(row.paramMap) },
        ...(error ? [{ key: "recpipe.error", value: error.slice(0, 8000) }] : []),
      ],
      failed: error !== undefined,
    };
  });
}

/** tuning.parquet writes non-scalar grid values as JSON text; log them as the values they are. */
function jsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  return v;
}
