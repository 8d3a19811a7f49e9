import type { Config } from "vega-lite";

/** One look for every chart, matching the page's CSS (system font, muted axes, no frame). */
export const CHART_CONFIG: Config = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
  background: "white",
  padding: 8,
  view: { stroke: null },
  axis: {
    labelColor: "#4a5568",
    titleColor: "#2d3748",
    titleFontWeight: 600,
    labelFontSize: 11,
    titleFontSize: 12,
    gridColor: "#edf2f7",
    domainColor: "#a0aec0",
    tickColor: "#a0aec0",
  },
  legend: { labelColor: "#4a5568", titleColor: "#2d3748", labelFontSize: 11, titleFontSize: 12, orient: "bottom" },
  header: { labelFontSize: 12, labelFontWeight: 600, labelColor: "#2d3748", title: null },
};

/** The baselines every run scores (src/engines/local/baselines.ts), in the order the console prints them: grey, after the model. */
const BASELINES = new Set(["global-mean", "bias-baseline", "most-popular"]);
const MODEL_COLOURS = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c"];
const BASELINE_COLOURS = ["#a0aec0", "#718096", "#cbd5e0"];

export function isBaseline(model: string): boolean {
  return BASELINES.has(model);
}

/** Models in display order (fitted models first, then baselines, each in order of appearance) and their colours. */
export function modelColours(models: Iterable<string>): { domain: string[]; range: string[] } {
  const unique = [...new Set(models)];
  const fitted = unique.filter((m) => !isBaseline(m));
  const baselines = unique.filter(isBaseline);
  return {
    domain: [...fitted, ...baselines],
    range: [...fitted.map((_, i) => MODEL_COLOURS[i % MODEL_COLOURS.length]), ...baselines.map((_, i) => BASELINE_COLOURS[i % BASELINE_COLOURS.length])],
  };
}
