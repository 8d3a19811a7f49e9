import type { TopLevelSpec } from "vega-lite";
import { escapeHtml } from "../escape-html.js";
import { renderSvg } from "../render-svg.js";

/** A chart as inline SVG with a caption; empty string when the chart has no data. */
export async function figure(spec: TopLevelSpec | undefined, id: string, caption: string): Promise<string> {
  if (!spec) return "";
  const svg = await renderSvg(spec, id);
  return `<figure id="${escapeHtml(id)}" class="chart">${svg}<figcaption class="note">${escapeHtml(caption)}</figcaption></figure>`;
}
