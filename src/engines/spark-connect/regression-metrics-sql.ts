import type { StageRegistry } from "../../core/registry.js";
import type { Evaluator } from "../../core/stage.js";
import { remoteStageFor } from "./remote-pipeline.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import type { SparkMl } from "./transport/ml.js";
import { sql } from "./transport/plan.js";
import { ident } from "./transport/sql-text.js";

/**
 * Spark's RegressionEvaluator for several sides of a run (the training rows, the test rows) in ONE Spark job: the
 * scored sides, tagged, in one union, one aggregate grouped by side. Asking Spark's evaluator once per side and metric
 * is a Spark job each (PySpark's own scripts score only the test rows, so each extra job is time recpipe alone pays).
 *
 * The formulas are Spark's RegressionMetrics with unit weights (src/kernels/regression-metrics.ts, which the local
 * engine uses): with W the rows, e = y − ŷ, mse = Σe²/W, rmse = √mse, mae = Σ|e|/W, r2 = 1 − Σe²/SStot with
 * SStot = Σy² − (Σy)²/W when W > 1 (else 0), r2 throughOrigin = 1 − Σe²/Σy², var = Σ(ŷ − ȳ)²/W expanded as
 * Σŷ² − 2ȳΣŷ + ȳ²W. Nothing is filtered: a NaN prediction makes SQL's sums NaN, as in Spark. Labels and predictions
 * are cast to double first, as Spark's evaluator does. Weighted evaluators are left to Spark's evaluator
 * (`inOneJob` says which can be computed here).
 */
export interface RegressionMetricsParams {
  metricName: "rmse" | "mse" | "mae" | "r2" | "var";
  labelCol: string;
  predictionCol: string;
  throughOrigin: boolean;
}

/** The evaluators this file computes: those whose Spark Connect mapping says so (unweighted regression metrics). */
export function inOneJob(registry: StageRegistry, ev: Evaluator): boolean {
  return remoteStageFor(registry, ev).inOneRegressionJob?.(ev.params) === true;
}

function paramsOf(ev: Evaluator): RegressionMetricsParams {
  const p = ev.params;
  return {
    metricName: p.metricName as RegressionMetricsParams["metricName"],
    labelCol: String(p.labelCol),
    predictionCol: String(p.predictionCol),
    throughOrigin: p.throughOrigin === true,
  };
}

/** The sums one pair of label and prediction columns needs, as SQL over the columns y and p of the tagged union. */
const SUMS = {
  sse: (y: string, p: string) => `sum((${y} - ${p}) * (${y} - ${p}))`,
  sae: (y: string, p: string) => `sum(abs(${y} - ${p}))`,
  sy: (y: string) => `sum(${y})`,
  syy: (y: string) => `sum(${y} * ${y})`,
  sp: (_y: string, p: string) => `sum(${p})`,
  spp: (_y: string, p: string) => `sum(${p} * ${p})`,
} as const;
type Sums = Record<keyof typeof SUMS, number>;

/** One metric from a side's sums: the formulas of the header comment. */
export function metricFromSums(metric: RegressionMetricsParams["metricName"], throughOrigin: boolean, W: number, s: Sums): number {
  switch (metric) {
    case "mse":
      return s.sse / W;
    case "rmse":
      return Math.sqrt(s.sse / W);
    case "mae":
      return s.sae / W;
    case "r2": {
      if (throughOrigin) return 1 - s.sse / s.syy;
      // The summarizer's unbiased variance times (W − 1): 0 when W ≤ 1 (its variance is 0 there).
      const ssTot = W > 1 ? s.syy - (s.sy * s.sy) / W : 0;
      return 1 - s.sse / ssTot;
    }
    case "var": {
      const yMean = s.sy / W;
      return (s.spp - 2 * yMean * s.sp + yMean * yMean * W) / W;
    }
  }
}

/**
 * The metrics of `evaluators` (each `inOneJob`) on every side, and each side's scored row count, from one Spark job.
 * A side with no scored rows (every row a cold start dropped by ALS) has NaN metrics and 0 rows.
 */
export async function regressionMetricsBySide(
  ml: SparkMl,
  evaluators: readonly Evaluator[],
  sides: Readonly<Record<string, Relation>>,
  what: string,
): Promise<Record<string, { rows: number; metrics: Record<string, number> }>> {
  // One (label, prediction) pair of columns per distinct pair the evaluators read.
  const pairs: { labelCol: string; predictionCol: string }[] = [];
  const pairOf = (p: RegressionMetricsParams) => {
    let i = pairs.findIndex((q) => q.labelCol === p.labelCol && q.predictionCol === p.predictionCol);
    if (i < 0) i = pairs.push({ labelCol: p.labelCol, predictionCol: p.predictionCol }) - 1;
    return i;
  };
  const wanted = evaluators.map((ev) => ({ ev, p: paramsOf(ev) })).map((w) => ({ ...w, pair: pairOf(w.p) }));
  const names = Object.keys(sides);
  const refs: Record<string, Relation> = {};
  const selects = names.map((name, k) => {
    refs[`s${k}`] = sides[name];
    const cols = pairs.map((q, j) => `CAST(${ident(q.labelCol)} AS DOUBLE) AS y${j}, CAST(${ident(q.predictionCol)} AS DOUBLE) AS p${j}`);
    return `SELECT ${k} AS side, ${cols.join(", ")} FROM {s${k}}`;
  });
  const aggs = pairs.flatMap((_, j) => Object.entries(SUMS).map(([key, f]) => `${f(`y${j}`, `p${j}`)} AS ${key}${j}`));
  const t = await ml.collect(sql(`SELECT side, count(*) AS n, ${aggs.join(", ")} FROM (${selects.join(" UNION ALL ")}) GROUP BY side`, refs), what);
  const out: Record<string, { rows: number; metrics: Record<string, number> }> = {};
  for (const name of names) out[name] = { rows: 0, metrics: Object.fromEntries(wanted.map((w) => [w.ev.metricKey, Number.NaN])) };
  const side = t.getChild("side")!;
  for (let r = 0; r < t.numRows; r++) {
    const name = names[Number(side.get(r))];
    const W = Number(t.getChild("n")!.get(r));
    const sumsOf = (j: number) => Object.fromEntries(Object.keys(SUMS).map((key) => [key, Number(t.getChild(`${key}${j}`)!.get(r))])) as Sums;
    out[name] = {
      rows: W,
      metrics: Object.fromEntries(wanted.map((w) => [w.ev.metricKey, metricFromSums(w.p.metricName, w.p.throughOrigin, W, sumsOf(w.pair))])),
    };
  }
  return out;
}
