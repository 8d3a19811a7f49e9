import { isBaseline, modelColours } from "../charts/chart-theme.js";
import { metricsChartSpec } from "../charts/metrics-chart.js";
import { escapeHtml } from "../escape-html.js";
import { formatDecimal } from "../format-number.js";
import { htmlTable, type Cell, type TableRow } from "../html-table.js";
import type { ReportData } from "../report-data.js";
import { figure } from "./figure.js";

const LOWER_IS_BETTER = new Set(["rmse", "mse", "mae", "expectedPercentileRank"]);
const HIGHER_IS_BETTER = new Set(["r2", "ndcgAtK", "precisionAtK", "recallAtK", "meanAveragePrecision", "meanAveragePrecisionAtK", "hitRateAtK", "mrrAtK"]);

/** Which value of a metric is best, when the metric's direction is known ("ndcgAtK@10" -> ndcgAtK). */
function bestValue(metric: string, values: number[]): number | undefined {
  const base = metric.split("@")[0];
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return undefined;
  if (LOWER_IS_BETTER.has(base)) return Math.min(...finite);
  if (HIGHER_IS_BETTER.has(base)) return Math.max(...finite);
  return undefined;
}

export async function metricsSection(metrics: ReportData["metrics"], train: ReportData["trainMetrics"] = {}): Promise<string> {
  if (metrics.length === 0) {
    const trainRows = Object.entries(train).map(([name, v]) => ({ cells: [{ text: name }, { text: formatDecimal(v), numeric: true }] }));
    const trainTable = trainRows.length
      ? `<p class="note">On the training rows (there is no test set):</p>${htmlTable([{ text: "metric" }, { text: "train", numeric: true }], trainRows)}`
      : "";
    return `<section id="metrics"><h2>Metrics</h2><p class="note">No test metrics were computed.</p>${trainTable}</section>`;
  }
  const models = modelColours(metrics.map((m) => m.model)).domain;
  const names = [...new Set(metrics.map((m) => m.name))];
  const fitted = models.find((m) => !isBaseline(m));
  const hasTrain = Object.keys(train).length > 0;
  const header: Cell[] = [
    { text: "metric" },
    ...models.flatMap((m): Cell[] => [
      { text: m === fitted && hasTrain ? `${m} (test)` : m, numeric: true, className: isBaseline(m) ? "baseline" : "" },
      ...(m === fitted && hasTrain ? [{ text: `${m} (train)`, numeric: true, className: "train" }] : []),
    ]),
  ];
  const rows: TableRow[] = names.map((name) => {
    const byModel = new Map(metrics.filter((m) => m.name === name).map((m) => [m.model, m.value]));
    const best = bestValue(name, [...byModel.values()]);
    return {
      cells: [
        { text: name },
        ...models.flatMap((model): Cell[] => {
          const v = byModel.get(model);
          const trainCell: Cell[] =
            model === fitted && hasTrain ? [{ text: train[name] === undefined ? "" : formatDecimal(train[name]), numeric: true, className: "train" }] : [];
          if (v === undefined) return [{ text: "", numeric: true }, ...trainCell];
          return [{ text: formatDecimal(v), numeric: true, className: v === best ? "best" : isBaseline(model) ? "baseline" : "" }, ...trainCell];
        }),
      ],
    };
  });
  const chart = await figure(metricsChartSpec(metrics), "chart-metrics", "Each metric on the test set: the fitted model beside the baselines (grey).");
  const legend = `<p class="note">Test-set metrics. Baselines (${escapeHtml(models.filter(isBaseline).join(", ") || "none")}) show what a trivial model scores; the best value of each metric is in bold.${hasTrain ? ` The train column is the same metric on the training rows: a train error far below the test error is over-fitting.` : ""}</p>`;
  return `<section id="metrics"><h2>Metrics</h2>${legend}${htmlTable(header, rows)}${chart}</section>`;
}
