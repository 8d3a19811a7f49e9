import { describe, expect, it } from "vitest";
import { tuningChartSpec } from "../../src/report/charts/tuning-chart.js";
import { renderReport } from "../../src/report/render-report.js";
import type { ReportData } from "../../src/report/report-data.js";
import { unbalancedTags } from "./html-structure.js";
import { typicalReportData } from "./typical-report-data.js";

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

function minimalReportData(): ReportData {
  return {
    name: "minimal",
    createdAt: "2025-01-01T00:00:00Z",
    recpipeVersion: "0.1.0",
    pipelineYaml: "name: minimal\n",
    data: { rows: 10 },
    metrics: [{ name: "rmse", value: 1.5, model: "als" }],
  };
}

describe("renderReport", () => {
  it("renders a well-formed page with every section of a typical run", async () => {
    const html = await renderReport(typicalReportData());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(unbalancedTags(html)).toEqual([]);
    expect(html).toContain("<title>movielens-100k-als · recpipe report</title>");
    for (const id of ["data", "metrics", "training", "tuning", "recommendations", "timings", "pipeline"]) {
      expect(count(html, new RegExp(`<section id="${id}">`, "g")), id).toBe(1);
      expect(html).toContain(`<a href="#${id}">`);
    }
    for (const id of ["chart-ratings", "chart-metrics", "chart-loss", "chart-tuning"]) {
      expect(html).toMatch(new RegExp(`<figure id="${id}" class="chart"><svg[^>]*>`));
    }
    expect(count(html, /<svg\b/g)).toBeGreaterThanOrEqual(2);
    expect(html).toContain("93.70%"); // sparsity of 100k ratings over 943 x 1682
    expect(html).toContain("100,000");
  });

  it("gives every SVG element id a page-unique name that its references use", async () => {
    const html = await renderReport(typicalReportData());
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...html.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0); // rounded bars are clipped
    for (const ref of refs) expect(ids).toContain(ref);
  });

  it("sorts the tuning table by position and marks the best param map", async () => {
    const data = typicalReportData();
    const html = await renderReport(data);
    const table = html.slice(html.indexOf("Param maps, best first"));
    const ranks = [...table.matchAll(/<tr(?: class="best")?><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(ranks).toEqual([1, 2, 3, 4, 5, 6]);
    const best = data.tuning!.rows.find((r) => r.rank === 1)!;
    expect(html).toContain(`Best param map: <strong>rank=${best.params.rank}, regParam=${best.params.regParam}</strong>`);
    expect(table).toMatch(/<tr class="best"><td class="num">1<\/td>/);
  });

  it("tuning: baselines as rows, an edge-of-grid flag with its direction, maps within one std of the best flagged", async () => {
    const data = typicalReportData();
    data.tuning!.rows[1].closeToBest = true;
    data.tuning!.baselines = [{ name: "global-mean", foldMetrics: [1.12, 1.13, 1.11], mean: 1.12, std: 0.008 }];
    data.tuning!.edges = ["best als.regParam=0.05 is the smallest value tried: extend the grid below 0.05"];
    const html = await renderReport(data);
    const section = html.slice(html.indexOf('<section id="tuning">'), html.indexOf("</section>", html.indexOf('<section id="tuning">')));
    expect(section).toMatch(/<tr class="baseline"><td class="num"><\/td><td>baseline: global-mean<\/td>.*<td class="num">1\.1200<\/td>/);
    expect(section).toContain("within 1 std of best");
    expect(section).toContain("<strong>Edge of the grid:</strong> best als.regParam=0.05 is the smallest value tried: extend the grid below 0.05.");
  });

  it("puts the notes above everything else and the train error beside the test error", async () => {
    const data = typicalReportData();
    data.notes = ["als scores WORSE than the global-mean baseline on rmse: 1.1970 vs 0.8730 (lower is better)"];
    data.trainMetrics = { rmse: 0.5123 };
    const html = await renderReport(data);
    expect(html.indexOf('<section id="notes"')).toBeGreaterThan(0);
    expect(html.indexOf('<section id="notes"')).toBeLessThan(html.indexOf('<section id="data"'));
    expect(html).toContain("scores WORSE than the global-mean baseline");
    const metrics = html.slice(html.indexOf('<section id="metrics">'), html.indexOf('<section id="training">'));
    expect(metrics).toContain("als (train)");
    expect(metrics).toContain('<td class="num train">0.5123</td>');
  });

  it("shows metrics per model, baselines after the fitted model, best value in bold", async () => {
    const html = await renderReport(typicalReportData());
    const metrics = html.slice(html.indexOf('<section id="metrics">'), html.indexOf('<section id="training">'));
    expect(metrics.indexOf(">als<")).toBeLessThan(metrics.indexOf(">global-mean<"));
    expect(metrics).toContain('<td class="num best">0.9132</td>'); // lowest rmse
    expect(metrics).toContain('<td class="num best">0.0412</td>'); // highest ndcg
  });

  it("most-popular is a baseline like the others: grey as the caption says, after global-mean and bias-baseline as the console prints them", async () => {
    const data = typicalReportData();
    // A run's metrics: the model's, then each baseline in the order the run scored them (global-mean, bias-baseline, most-popular).
    data.metrics.push({ name: "ndcgAtK@10", value: 0.0301, model: "most-popular" });
    const html = await renderReport(data);
    const metrics = html.slice(html.indexOf('<section id="metrics">'), html.indexOf('<section id="training">'));
    const header = metrics.slice(metrics.indexOf("<thead>"), metrics.indexOf("</thead>"));
    const order = ["als", "global-mean", "bias-baseline", "most-popular"].map((m) => header.indexOf(`>${m}<`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(header).toMatch(/class="num baseline">most-popular</);
    const chart = metrics.slice(metrics.indexOf('<figure id="chart-metrics"'));
    expect(chart).toMatch(/fitted model beside the baselines \(grey\)/);
    // Bar fills: the model's blue and only greys; no orange (#dd6b20) bar for most-popular.
    const fills = new Set([...chart.matchAll(/<path[^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]));
    expect(fills.has("#2b6cb0")).toBe(true);
    expect([...fills].filter((f) => f !== "#2b6cb0" && !["#a0aec0", "#718096", "#cbd5e0"].includes(f))).toEqual([]);
  });

  it("the tuning chart's y scale spans the baselines' fold means, drawn as labelled lines", async () => {
    const data = typicalReportData();
    data.tuning!.baselines = [{ name: "global-mean", foldMetrics: [1.12, 1.13, 1.11], mean: 1.12, std: 0.008 }];
    const spec = tuningChartSpec(data.tuning)!;
    const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
    const view = new View(parse(compile(spec).spec), { renderer: "none", logLevel: 0 });
    await view.runAsync();
    const [lo, hi] = view.scale("y").domain() as number[];
    view.finalize();
    expect(hi).toBeGreaterThanOrEqual(1.12);
    expect(lo).toBeLessThanOrEqual(Math.min(...data.tuning!.rows.flatMap((r) => r.foldMetrics)));
    const html = await renderReport(data);
    const chart = html.slice(html.indexOf('<figure id="chart-tuning"'), html.indexOf("</figure>", html.indexOf('<figure id="chart-tuning"')));
    expect(chart).toContain("global-mean 1.1200");
    expect(chart).toMatch(/the baselines(&#39;|&#x27;|')? means on the same folds are the dashed grey lines/);
  });

  it("escapes every user-provided string", async () => {
    const data = typicalReportData();
    data.name = "<script>alert('name')</script> & co";
    data.createdAt = '"><img src=x onerror=alert(1)>';
    data.pipelineYaml = "name: x\n# </pre><script>alert('yaml')</script>\n";
    data.metrics = data.metrics.map((m) => ({ ...m, model: m.model === "als" ? "<b>als</b>" : m.model }));
    data.lossHistory = data.lossHistory!.map((p) => ({ ...p, model: "<i>als</i>" }));
    data.tuning!.paramNames = ["<u>rank</u>", "regParam"];
    data.tuning!.rows = data.tuning!.rows.map((r) => ({ ...r, params: { "<u>rank</u>": `<s>${String(r.params.rank)}</s>`, regParam: r.params.regParam } }));
    data.recommendations = [{ user: "<em>u1</em>", items: [{ item: '"><svg onload=alert(1)>', score: 4.2 }] }];
    data.timingsSeconds = { "<script>": 1 };
    const html = await renderReport(data);
    for (const bad of ["<script", "<img", "<b>", "<i>", "<u>", "<s>", "<em>", "<svg onload"]) {
      expect(html, bad).not.toContain(bad);
    }
    expect(html).toContain("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; co");
    // Chart labels are text inside the SVG, escaped by vega's renderer.
    const metricsChart = html.slice(html.indexOf('<figure id="chart-metrics"'), html.indexOf("</figure>", html.indexOf('<figure id="chart-metrics"')));
    expect(metricsChart).toContain("&lt;b&gt;als&lt;/b&gt;");
    expect(html).toContain("# &lt;/pre&gt;&lt;script&gt;alert(&#39;yaml&#39;)&lt;/script&gt;");
    expect(unbalancedTags(html)).toEqual([]);
  });

  it("references nothing on the network and needs no script", async () => {
    const html = await renderReport(typicalReportData());
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<(?:script|link|iframe|object|embed|img)\b/i);
    expect(html).not.toContain("@import");
  });

  it("is deterministic: the same data gives the same bytes", async () => {
    const first = await renderReport(typicalReportData());
    // Rendering something else in between moves vega's internal id counters.
    await renderReport(minimalReportData());
    const second = await renderReport(typicalReportData());
    expect(second).toBe(first);
  });

  it("omits charts and sections that have no data", async () => {
    const html = await renderReport(minimalReportData());
    expect(unbalancedTags(html)).toEqual([]);
    expect(count(html, /<svg\b/g)).toBe(1);
    expect(html).toContain('id="chart-metrics"');
    for (const absent of [
      "chart-ratings",
      "chart-loss",
      "chart-tuning",
      'id="training"',
      'id="tuning"',
      'id="recommendations"',
      'id="timings"',
      'href="#tuning"',
    ]) {
      expect(html, absent).not.toContain(absent);
    }

    const empty = await renderReport({
      ...minimalReportData(),
      metrics: [],
      data: { rows: 0, ratingHistogram: [] },
      lossHistory: [],
      recommendations: [],
      timingsSeconds: {},
    });
    expect(count(empty, /<svg\b/g)).toBe(0);
    expect(empty).toContain("No test metrics were computed.");
  });

  it("keeps non-finite metrics in the table but out of the charts", async () => {
    const data = minimalReportData();
    data.metrics = [
      { name: "rmse", value: Number.NaN, model: "als" },
      { name: "rmse", value: 1.1, model: "global-mean" },
    ];
    data.lossHistory = [{ model: "als", iteration: 1, value: Number.POSITIVE_INFINITY }];
    const html = await renderReport(data);
    expect(html).toContain('<td class="num">NaN</td>');
    expect(count(html, /<svg\b/g)).toBe(1); // metrics chart with the finite bar; no loss chart
    expect(html).not.toContain("chart-loss");
  });
});
