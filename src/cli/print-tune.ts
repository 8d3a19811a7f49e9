import type { TuneSummary } from "../model/tune-result.js";
import { tuningVerdicts } from "../run/tuning-verdicts.js";

/** The tuning result as a readable table: one line per param map, best first. */
export function printTuneTable(t: TuneSummary, out: NodeJS.WritableStream): void {
  out.write(`${t.type}: ${t.paramMaps} param maps x ${t.folds} fold(s), ${t.metric} (${t.isLargerBetter ? "larger" : "smaller"} is better)\n`);
  const order = t.avgMetrics
    .map((m, i) => i)
    .sort((a, b) => {
      const x = t.avgMetrics[a],
        y = t.avgMetrics[b];
      if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
      return (t.isLargerBetter ? y - x : x - y) || a - b;
    });
  const v = tuningVerdicts(t);
  const close = new Set(v.indistinguishable);
  for (const [n, i] of order.entries()) {
    const flag = n === 0 ? "best" : close.has(i) ? "~best" : "";
    out.write(
      `  ${flag.padEnd(5)}  mean ${t.avgMetrics[i].toFixed(4)}  std ${t.stdMetrics[i].toFixed(4)}  ${Object.entries(t.grid[i])
        .map(([k, val]) => `${k}=${JSON.stringify(val)}`)
        .join("  ")}\n`,
    );
  }
  for (const [name, m] of Object.entries(t.baselines ?? {}))
    out.write(`  ${"".padEnd(5)}  mean ${m.mean.toFixed(4)}  std ${m.std.toFixed(4)}  baseline ${name}\n`);
  for (const f of t.failures ?? []) out.write(`  failed: ${JSON.stringify(f.params)}: ${f.errors.join("; ")}\n`);
  out.write(`  best: ${JSON.stringify(t.best)} -> ${t.bestMetric.toFixed(4)}\n`);
  if (close.size) out.write(`  ~best: within one standard deviation of the best mean: the folds cannot tell these apart from the best\n`);
  for (const e of v.edges) out.write(`  edge of the grid: ${e.message}\n`);
}
