import type { TopLevelSpec } from "vega-lite";

/**
 * Renders a vega-lite spec to an SVG string on the server, with no DOM and no network: the report
 * then needs neither scripts nor fetches to display its charts.
 *
 * `idPrefix` makes the SVG's element ids unique within the page (several inline SVGs share one id
 * space) and stable: vega numbers clip paths and gradients from a process-wide counter, so the same
 * chart rendered twice would otherwise differ in its ids.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  // Imported on first use: vega and vega-lite take about half a second to load, which every other command
  // (recommend, validate, --help) would otherwise pay at start-up.
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: "none", logLevel: 0 });
  try {
    const svg = await view.toSVG();
    return renumberIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

function renumberIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`);
  }
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => a + (ids.get(id) ?? id) + b)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : whole))
    .replace(/((?:xlink:)?href=")#([^"]+)(")/g, (whole, a: string, id: string, b: string) => (ids.has(id) ? `${a}#${ids.get(id)}${b}` : whole));
}
