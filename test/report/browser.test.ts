import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/render-report.js";
import { typicalReportData } from "./typical-report-data.js";

/**
 * Opens report.html in a real browser (Debian's chromium, no downloaded build) and checks what a
 * person would see: no errors, every chart laid out with a visible size and drawn marks.
 */
const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI === "true") throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package`);
  console.log(`skipping report browser test: ${CHROMIUM} is not installed (apt-get install chromium)`);
}

describe.skipIf(!available)("report.html in chromium", () => {
  let browser: BrowserContext;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "recpipe-report-browser-"));
    // A fresh profile each run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(path.join(workDir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1100, height: 900 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("shows every chart with marks, without errors or network requests", async () => {
    const file = path.join(workDir, "report.html");
    await writeFile(file, await renderReport(typicalReportData()));
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page: ${err.message}`));
    page.on("request", (req) => {
      if (!req.url().startsWith("file:")) requests.push(req.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });

    const charts = await page.locator("figure.chart").evaluateAll((figures) =>
      figures.map((f) => {
        const svg = f.querySelector("svg");
        const box = svg?.getBoundingClientRect();
        // Data marks only (vega's role-mark groups), not axes, grid lines or the background.
        const marks = svg
          ? [...svg.querySelectorAll("g.role-mark > path, g.role-mark > rect, g.role-mark > line")].filter((m) => {
              const b = m.getBoundingClientRect();
              return b.width > 0 || b.height > 0;
            }).length
          : 0;
        return { id: f.id, width: box?.width ?? 0, height: box?.height ?? 0, marks };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual(["chart-ratings", "chart-metrics", "chart-loss", "chart-tuning"]);
    for (const c of charts) {
      expect(c.width, c.id).toBeGreaterThan(100);
      expect(c.height, c.id).toBeGreaterThan(100);
      expect(c.marks, c.id).toBeGreaterThanOrEqual(4);
    }
    const screenshot = path.join(tmpdir(), "recpipe-report.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`report screenshot: ${screenshot}`);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it("keeps layouts inside the page: k = 20 recommendations wrap, long tuning labels are not cut, binned ratings chart", async () => {
    const data = typicalReportData();
    data.recommendations = data.recommendations!.map((r) => ({
      ...r,
      items: Array.from({ length: 20 }, (_, i) => ({ item: `B00${1000 + i}XYZ-long-asin`, score: 4 - i * 0.01 })),
    }));
    data.recommendationsK = 20;
    data.recommendationsTotalUsers = 943;
    data.tuning!.paramNames = ["als.rank", "als.regParam"];
    data.tuning!.rows = data.tuning!.rows.map((r) => ({ ...r, params: { "als.rank": r.params.rank, "als.regParam": r.params.regParam } }));
    const bins = Array.from({ length: 20 }, (_, b) => ({ start: b * 0.25, end: (b + 1) * 0.25, value: b * 0.25 + 0.125, count: 100 + b * 7 }));
    data.data.ratingHistogram = bins;
    const file = path.join(workDir, "layout.html");
    await writeFile(file, await renderReport(data));
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const layout = await page.locator("html").evaluate((root) => {
      const document = root.ownerDocument;
      const main = document.querySelector("main")!.getBoundingClientRect();
      const table = document.querySelector("#recommendations table")!.getBoundingClientRect();
      const heading = document.querySelector("#recommendations h3")!.textContent;
      const items = document.querySelectorAll("#recommendations tbody tr:first-child ol.recs li").length;
      const svg = document.querySelector("#chart-tuning svg")!;
      const box = svg.getBoundingClientRect();
      const cut = [...svg.querySelectorAll("text")]
        .filter((t) => {
          const b = t.getBoundingClientRect();
          return b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5 || t.textContent!.includes("…");
        })
        .map((t) => t.textContent);
      const bars = document.querySelectorAll("#chart-ratings g.role-mark > path").length;
      return { mainRight: main.right, tableRight: table.right, heading, items, cut, bars };
    });
    expect(layout.tableRight).toBeLessThanOrEqual(layout.mainRight);
    expect(layout.heading).toBe("10 of 943 users shown");
    expect(layout.items).toBe(20);
    expect(layout.cut).toEqual([]);
    expect(layout.bars).toBe(20);
    await page.close();
  });
});
