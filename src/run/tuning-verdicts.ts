/**
 * Two things a person reading a tuning table must not have to work out: a best value at the edge of the grid (the
 * optimum may lie beyond it: extend the grid that way), and param maps whose mean is within one standard deviation
 * of the best one (the folds cannot tell them apart).
 */
export interface TuningVerdicts {
  /** One message per grid key whose best value is the smallest or largest numeric value tried. */
  edges: { key: string; value: number; direction: "below" | "above"; message: string }[];
  /** Grid indices (not the best) whose mean lies within the best map's standard deviation of the best mean. */
  indistinguishable: number[];
}

export function tuningVerdicts(t: {
  grid: Record<string, unknown>[];
  avgMetrics: number[];
  stdMetrics: number[];
  best: Record<string, unknown>;
}): TuningVerdicts {
  // The first map equal to the best one is the winner (Spark: the first index wins ties).
  const bestIndex = t.grid.findIndex((m) => JSON.stringify(m) === JSON.stringify(t.best));
  const edges: TuningVerdicts["edges"] = [];
  for (const [key, best] of Object.entries(t.best)) {
    if (typeof best !== "number") continue;
    const values = [...new Set(t.grid.map((m) => m[key]).filter((v): v is number => typeof v === "number"))].sort((a, b) => a - b);
    if (values.length < 2) continue;
    if (best === values[0])
      edges.push({ key, value: best, direction: "below", message: `best ${key}=${best} is the smallest value tried: extend the grid below ${best}` });
    else if (best === values[values.length - 1])
      edges.push({ key, value: best, direction: "above", message: `best ${key}=${best} is the largest value tried: extend the grid above ${best}` });
  }
  const bestMean = t.avgMetrics[bestIndex];
  const bestStd = t.stdMetrics[bestIndex];
  const indistinguishable: number[] = [];
  if (Number.isFinite(bestMean) && Number.isFinite(bestStd)) {
    t.avgMetrics.forEach((m, i) => {
      if (i !== bestIndex && Number.isFinite(m) && Math.abs(m - bestMean) <= bestStd) indistinguishable.push(i);
    });
  }
  return { edges, indistinguishable };
}
