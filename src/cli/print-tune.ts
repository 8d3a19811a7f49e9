import type { TuneSummary } from "../pipeline/tune.js";

/** The tuning result as a readable table: one line per param map, best first. */
export function printTuneTable(t: TuneSummary, out: NodeJS.WritableStream): void {
  out.write(`${t.type}: ${t.paramMaps} param maps x ${t.folds} fold(s), ${t.metric} (${t.isLargerBetter ? "larger" : "smaller"} is better)\n`);
  const order = t.avgMetrics.map((m, i) => i).sort((a, b) => {
    const x = t.avgMetrics[a], y = t.avgMetrics[b];
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
    return (t.isLargerBetter ? y - x : x - y) || a - b;
  });
  for (const i of order) out.write(`  mean ${t.avgMetrics[i].toFixed(4)}  std ${t.stdMetrics[i].toFixed(4)}  ${Object.entries(t.grid[i]).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join("  ")}\n`);
  for (const f of t.failures ?? []) out.write(`  failed: ${JSON.stringify(f.params)}: ${f.errors.join("; ")}\n`);
  out.write(`  best: ${JSON.stringify(t.best)} -> ${t.bestMetric.toFixed(4)}\n`);
}
