import type { ReportData } from "../../src/report/report-data.js";

/** A report for a tuned ALS run on a MovieLens-100k-sized data set, with made-up but plausible figures. */
export function typicalReportData(): ReportData {
  const ranks = [8, 16];
  const regParams = [0.05, 0.1, 0.2];
  const rows: NonNullable<ReportData["tuning"]>["rows"] = [];
  for (const rank of ranks) {
    for (const regParam of regParams) {
      const centre = 0.92 + Math.abs(regParam - 0.1) * 0.4 - rank * 0.001;
      const foldMetrics = [centre - 0.006, centre + 0.004, centre + 0.002];
      const mean = foldMetrics.reduce((a, b) => a + b, 0) / foldMetrics.length;
      const std = Math.sqrt(foldMetrics.reduce((a, b) => a + (b - mean) ** 2, 0) / (foldMetrics.length - 1));
      rows.push({ params: { rank, regParam }, foldMetrics, mean, std, rank: 0 });
    }
  }
  [...rows]
    .sort((a, b) => a.mean - b.mean)
    .forEach((r, i) => {
      r.rank = i + 1;
    });
  return {
    name: "movielens-100k-als",
    createdAt: "2025-01-31T12:34:56Z",
    recpipeVersion: "0.1.0",
    pipelineYaml: "name: movielens-100k-als\nseed: 42\nsource:\n  path: ../data/ml-100k/u.data\n  format: tsv\npipeline:\n  - type: als\n    rank: 10\n",
    data: {
      rows: 100_000,
      users: 943,
      items: 1682,
      sparsity: 1 - 100_000 / (943 * 1682),
      ratingHistogram: [
        { value: 1, count: 6110 },
        { value: 2, count: 11370 },
        { value: 3, count: 27145 },
        { value: 4, count: 34174 },
        { value: 5, count: 21201 },
      ],
      trainRows: 80_000,
      testRows: 20_000,
    },
    metrics: [
      { name: "rmse", value: 0.9132, model: "als" },
      { name: "rmse", value: 1.1257, model: "global-mean" },
      { name: "rmse", value: 0.9446, model: "bias-baseline" },
      { name: "ndcgAtK@10", value: 0.0412, model: "als" },
      { name: "ndcgAtK@10", value: 0.0021, model: "global-mean" },
      { name: "ndcgAtK@10", value: 0.0187, model: "bias-baseline" },
    ],
    lossHistory: Array.from({ length: 10 }, (_, i) => ({ model: "als", iteration: i + 1, value: 60_000 * Math.exp(-i / 2) + 41_000 })),
    tuning: { metricName: "rmse", isLargerBetter: false, paramNames: ["rank", "regParam"], rows },
    recommendations: Array.from({ length: 12 }, (_, u) => ({
      user: String(u + 1),
      items: Array.from({ length: 10 }, (_, i) => ({ item: `Movie ${(u * 37 + i * 11) % 1682}`, score: 5.1 - i * 0.07 - u * 0.01 })),
    })),
    timingsSeconds: { read: 0.21, split: 0.03, fit: 1.84, tune: 9.7, evaluate: 0.12, recommend: 0.45 },
  };
}
