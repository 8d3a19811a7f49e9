import { lossChartSpec } from "../charts/loss-chart.js";
import type { ReportData } from "../report-data.js";
import { figure } from "./figure.js";

export async function trainingSection(history: ReportData["lossHistory"]): Promise<string> {
  const chart = await figure(
    lossChartSpec(history),
    "chart-loss",
    "Regularised squared error on the training ratings after each ALS sweep (user and item factors both updated).",
  );
  return chart ? `<section id="training"><h2>Training loss</h2>${chart}</section>` : "";
}
