import type { TopLevelSpec } from "vega-lite";
import type { ReportData } from "../report-data.js";
import { CHART_CONFIG } from "./chart-theme.js";

type Tuning = NonNullable<ReportData["tuning"]>;

/** "rank=8, regParam=0.1", or just "0.1" when the grid has one parameter (the axis title names it). */
export function paramMapLabel(params: Tuning["rows"][number]["params"], paramNames: string[]): string {
  if (paramNames.length === 1) return String(params[paramNames[0]]);
  return paramNames.map((p) => `${p}=${String(params[p])}`).join(", ");
}

/**
 * The tuned metric for each param map: one grey point per fold, the mean with a ±1 std whisker, and
 * the best param map's mean highlighted; each baseline's mean on the same folds is a dashed grey line. Param maps keep the grid's order along the x axis.
 */
export function tuningChartSpec(tuning: Tuning | undefined): TopLevelSpec | undefined {
  if (!tuning || tuning.rows.length === 0) return undefined;
  const labels: string[] = [];
  const folds: { label: string; fold: number; value: number; kind: string }[] = [];
  const means: { label: string; mean: number; lo: number; hi: number; kind: string }[] = [];
  for (const row of tuning.rows) {
    const label = paramMapLabel(row.params, tuning.paramNames);
    if (!labels.includes(label)) labels.push(label);
    row.foldMetrics.forEach((value, i) => {
      if (Number.isFinite(value)) folds.push({ label, fold: i + 1, value, kind: "fold" });
    });
    if (Number.isFinite(row.mean)) {
      const std = Number.isFinite(row.std) ? row.std : 0;
      means.push({ label, mean: row.mean, lo: row.mean - std, hi: row.mean + std, kind: row.rank === 1 ? "best mean" : "mean ± std" });
    }
  }
  if (folds.length === 0 && means.length === 0) return undefined;
  // The baselines on the same folds, as dashed lines across the chart: the y scale spans them too, so a param map
  // that does not beat the global mean is seen not to.
  // Labels alternate between the left end (above the line) and the right end (below it), so two baselines with
  // close means do not print over each other.
  const baselines = (tuning.baselines ?? [])
    .filter((b) => Number.isFinite(b.mean))
    .sort((a, b) => a.mean - b.mean)
    .map((b, i) => ({ name: b.name, mean: b.mean, text: `${b.name} ${b.mean.toFixed(4)}`, side: i % 2 === 0 ? "left" : "right" }));
  const label = (side: "left" | "right") => ({
    data: { values: baselines.filter((b) => b.side === side) },
    mark: {
      type: "text" as const,
      align: side,
      baseline: side === "left" ? ("bottom" as const) : ("top" as const),
      dx: side === "left" ? 2 : -2,
      dy: side === "left" ? -2 : 2,
      fontSize: 10,
      color: "#718096",
    },
    encoding: { x: { value: side === "left" ? 0 : ("width" as const) }, y: { field: "mean", type: "quantitative" as const }, text: { field: "text" } },
  });
  const xTitle = tuning.paramNames.length === 1 ? tuning.paramNames[0] : "param map";
  const yTitle = `${tuning.metricName} (${tuning.isLargerBetter ? "higher" : "lower"} is better)`;
  const x = {
    field: "label",
    type: "nominal" as const,
    sort: labels,
    title: xTitle,
    axis: { labelAngle: labels.some((l) => l.length > 6) ? -35 : 0, labelLimit: 0 },
  };
  const color = {
    field: "kind",
    type: "nominal" as const,
    title: null,
    scale: { domain: ["fold", "mean ± std", "best mean"], range: ["#718096", "#2b6cb0", "#dd6b20"] },
  };
  return {
    config: CHART_CONFIG,
    width: Math.min(720, Math.max(260, labels.length * 56)),
    height: 240,
    layer: [
      {
        data: { values: means },
        mark: { type: "rule", strokeWidth: 2, opacity: 0.7 },
        encoding: { x, color, y: { field: "lo", type: "quantitative", title: yTitle, scale: { zero: false } }, y2: { field: "hi" } },
      },
      {
        data: { values: means },
        mark: { type: "tick", thickness: 3, size: 26 },
        encoding: {
          x,
          color,
          y: { field: "mean", type: "quantitative" },
          tooltip: [
            { field: "label", title: "params" },
            { field: "mean", format: ".4f" },
            { field: "lo", format: ".4f" },
            { field: "hi", format: ".4f" },
          ],
        },
      },
      ...(baselines.length
        ? [
            {
              data: { values: baselines },
              mark: { type: "rule" as const, strokeDash: [4, 3], color: "#a0aec0", strokeWidth: 1.5 },
              encoding: {
                y: { field: "mean", type: "quantitative" as const },
                tooltip: [
                  { field: "name", title: "baseline" },
                  { field: "mean", format: ".4f" },
                ],
              },
            },
            label("left"),
            ...(baselines.length > 1 ? [label("right")] : []),
          ]
        : []),
      {
        // Drawn last and spread across the band by fold, so no fold hides behind the mean's whisker.
        data: { values: folds },
        mark: { type: "point", filled: false, size: 30, strokeWidth: 1.5 },
        encoding: {
          x,
          color,
          xOffset: { field: "fold", type: "ordinal", scale: { paddingOuter: 0.8 } },
          y: { field: "value", type: "quantitative" },
          tooltip: [{ field: "label", title: "params" }, { field: "fold" }, { field: "value", format: ".4f" }],
        },
      },
    ],
  };
}
