/**
 * Spark's RegressionMetrics (weighted, 3.x+) on typed arrays. With W = Σw, ȳ the weighted mean label, e = y − ŷ:
 * mse = Σw·e²/W, rmse = √mse, mae = Σw·|e|/W, r2 = 1 − SSerr/SStot where SStot = variance(y)·(W − 1) and the
 * summarizer's unbiased variance is Σw(y−ȳ)² / (W − Σw²/W) (0 when that denominator is not positive);
 * throughOrigin: r2 = 1 − SSerr/Σw·y²; var = Σw(ŷ − ȳ)² / W. Nothing is filtered: one NaN gives NaN.
 * Rows with weight 0 are skipped, as the summarizer does.
 */
export type RegressionMetricName = "rmse" | "mse" | "mae" | "r2" | "var";

export function regressionMetric(
  metric: RegressionMetricName,
  labels: Float64Array,
  predictions: Float64Array,
  weights: Float64Array | undefined,
  throughOrigin: boolean,
): number {
  const n = labels.length;
  let W = 0;
  let W2 = 0;
  let sumWy = 0;
  let ssErr = 0;
  let absErr = 0;
  let ssY = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const y = labels[i];
    const e = y - predictions[i];
    W += w;
    W2 += w * w;
    sumWy += w * y;
    ssErr += w * e * e;
    absErr += w * Math.abs(e);
    ssY += w * y * y;
  }
  switch (metric) {
    case "mse":
      return ssErr / W;
    case "rmse":
      return Math.sqrt(ssErr / W);
    case "mae":
      return absErr / W;
    default:
      break;
  }
  const yMean = sumWy / W;
  if (metric === "r2") {
    if (throughOrigin) return 1 - ssErr / ssY;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      if (w === 0) continue;
      const d = labels[i] - yMean;
      m2 += w * d * d;
    }
    const denominator = W - W2 / W;
    const variance = denominator > 0 ? m2 / denominator : 0;
    return 1 - ssErr / (variance * (W - 1));
  }
  let ssReg = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const d = predictions[i] - yMean;
    ssReg += w * d * d;
  }
  return ssReg / W;
}
