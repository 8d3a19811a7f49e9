import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, modelColours } from "./chart-theme.js";

/** One small bar chart per metric, each comparing the fitted model with the baselines. */
export function metricsChartSpec(metrics: { name: string; value: number; model: string }[]): TopLevelSpec | undefined {
  const values = metrics.filter((m) => Number.isFinite(m.value));
  if (values.length === 0) return undefined;
  const colours = modelColours(values.map((m) => m.model));
  const metricNames = [...new Set(values.map((m) => m.name))];
  const panelWidth = Math.max(120, colours.domain.length * 56);
  const panels = metricNames.map((name) => {
    const own = values.filter((m) => m.name === name);
    // Headroom above the tallest bar keeps its value label inside the plot, so panels line up.
    const lo = Math.min(0, ...own.map((m) => m.value));
    const hi = Math.max(0, ...own.map((m) => m.value));
    const headroom = (hi - lo) * 0.15 || 1;
    return {
      title: { text: name, fontSize: 12, fontWeight: 600 as const, color: "#2d3748" },
      width: panelWidth,
      height: 160,
      data: { values: own },
      encoding: {
        x: { field: "model", type: "nominal" as const, sort: colours.domain, title: null, axis: { labelAngle: -25 } },
        y: {
          field: "value",
          type: "quantitative" as const,
          title: null,
          axis: { tickCount: 4 },
          scale: { domain: [lo < 0 ? lo - headroom : 0, hi > 0 ? hi + headroom : 0], nice: false },
        },
      },
      layer: [
        {
          mark: { type: "bar" as const, cornerRadiusEnd: 2 },
          encoding: {
            color: { field: "model", type: "nominal" as const, scale: colours, legend: null },
            tooltip: [{ field: "model" }, { field: "name", title: "metric" }, { field: "value", format: ".4f" }],
          },
        },
        {
          mark: { type: "text" as const, dy: -6, fontSize: 10, color: "#2d3748" },
          encoding: { text: { field: "value", type: "quantitative" as const, format: ".3f" } },
        },
      ],
    };
  });
  return {
    config: CHART_CONFIG,
    columns: Math.max(1, Math.min(metricNames.length, Math.floor(760 / (panelWidth + 40)))),
    concat: panels,
  } as TopLevelSpec;
}
