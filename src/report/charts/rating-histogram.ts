import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG } from "./chart-theme.js";

/** Bars of how many ratings have each value; undefined when there is nothing to draw. */
export function ratingHistogramSpec(histogram: { value: number; count: number; start?: number; end?: number }[] | undefined): TopLevelSpec | undefined {
  const values = (histogram ?? []).filter((b) => Number.isFinite(b.value) && Number.isFinite(b.count)).sort((a, b) => a.value - b.value);
  if (values.length === 0) return undefined;
  // Continuous ratings come binned: bars span their bins on a numeric axis, so the axis reads as ratings, not as
  // twenty bin centres with four decimals.
  if (values.every((b) => b.start !== undefined && b.end !== undefined)) {
    return {
      config: CHART_CONFIG,
      width: 560,
      height: 200,
      data: { values },
      mark: { type: "bar", color: "#2b6cb0", binSpacing: 1 },
      encoding: {
        x: { field: "start", type: "quantitative", title: "rating (binned)", bin: { binned: true }, axis: { tickCount: 8 } },
        x2: { field: "end" },
        y: { field: "count", type: "quantitative", title: "ratings", axis: { format: "~s" } },
        tooltip: [{ field: "start", title: "from", format: ".4g" }, { field: "end", title: "to", format: ".4g" }, { field: "count" }],
      },
    };
  }
  // Few distinct values (star ratings) read best as labelled bars; many (play counts) as a numeric axis.
  const discrete = values.length <= 40;
  return {
    config: CHART_CONFIG,
    width: discrete ? Math.min(560, Math.max(320, values.length * 56)) : 560,
    height: 200,
    data: { values },
    mark: { type: "bar", color: "#2b6cb0", cornerRadiusEnd: 2, ...(discrete ? {} : { width: 2 }) },
    encoding: {
      x: discrete
        ? { field: "value", type: "ordinal", title: "rating", sort: "ascending", axis: { labelAngle: 0 } }
        : { field: "value", type: "quantitative", title: "rating" },
      y: { field: "count", type: "quantitative", title: "ratings", axis: { format: "~s" } },
      tooltip: [{ field: "value" }, { field: "count" }],
    },
  };
}
