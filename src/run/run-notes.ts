/**
 * What a person must know about a run before reading its numbers, said plainly at the top of the console output and
 * of report.html: no test metrics (and why), a model that scores worse than a trivial baseline, a refit on every row.
 */
export function runNotes(o: {
  modelName: string;
  testRows: number;
  splitType: string;
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  largerIsBetter: Record<string, boolean>;
  refitAllRows?: number;
  /** Tuning: a best value at the edge of the grid (with the direction to extend it). */
  tuningEdges?: string[];
  /** Speed: a solver much slower than another for this fit (see solver-note.ts). */
  solverNotes?: string[];
}): string[] {
  const notes: string[] = [];
  if (o.testRows === 0) {
    notes.push(
      o.splitType === "none"
        ? "split: {type: none} trains on every row: there is no test set, so no test metrics and no baselines were computed"
        : `split (${o.splitType}) left no test rows: no test metrics and no baselines were computed`,
    );
  }
  for (const [metric, value] of Object.entries(o.metrics)) {
    const larger = o.largerIsBetter[metric];
    if (larger === undefined || !Number.isFinite(value)) continue;
    const better = Object.entries(o.baselines)
      .filter(([, ms]) => Number.isFinite(ms[metric]) && (larger ? ms[metric] > value : ms[metric] < value))
      .sort((a, b) => (larger ? b[1][metric] - a[1][metric] : a[1][metric] - b[1][metric]));
    if (better.length === 0) continue;
    const [name, ms] = better[0];
    notes.push(
      `${o.modelName} scores WORSE than the ${name} baseline on ${metric}: ${fmt(value)} vs ${fmt(ms[metric])} (${larger ? "higher" : "lower"} is better)` +
        (better.length > 1
          ? `; also worse than ${better
              .slice(1)
              .map(([n]) => n)
              .join(", ")}`
          : ""),
    );
  }
  for (const e of o.tuningEdges ?? []) notes.push(`tuning: ${e}`);
  notes.push(...(o.solverNotes ?? []));
  if (o.refitAllRows !== undefined) {
    notes.push(
      `tune.refit: all: the test metrics score the best params fitted on the training split; the saved model and recommendations were then refitted on all ${o.refitAllRows.toLocaleString("en-US")} rows`,
    );
  }
  return notes;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}
