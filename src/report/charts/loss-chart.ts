import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, modelColours } from "./chart-theme.js";

/** Training loss after each ALS sweep, one line per model. */
export function lossChartSpec(history: { model: string; iteration: number; value: number }[] | undefined): TopLevelSpec | undefined {
  const values = (history ?? []).filter((p) => Number.isFinite(p.value) && Number.isFinite(p.iteration));
  if (values.length === 0) return undefined;
  const colours = modelColours(values.map((p) => p.model));
  // The loss falls by orders of magnitude over the first sweeps; on a linear axis the later sweeps look flat.
  const log = values.every((p) => p.value > 0);
  return {
    config: CHART_CONFIG,
    width: 560,
    height: 220,
    data: { values },
    mark: { type: "line", point: { filled: true, size: 40 }, strokeWidth: 2 },
    encoding: {
      x: { field: "iteration", type: "quantitative", title: "ALS sweep", axis: { tickMinStep: 1, format: "d" } },
      y: {
        field: "value",
        type: "quantitative",
        title: log ? "training loss (log scale)" : "training loss",
        scale: log ? { type: "log" } : { zero: false },
        axis: { format: "~s" },
      },
      color: {
        field: "model",
        type: "nominal",
        scale: colours,
        title: "model",
        legend: colours.domain.length > 1 ? {} : null,
      },
      tooltip: [{ field: "model" }, { field: "iteration" }, { field: "value", format: ".6g" }],
    },
  };
}
