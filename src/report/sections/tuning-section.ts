import { tuningChartSpec } from "../charts/tuning-chart.js";
import { escapeHtml } from "../escape-html.js";
import { formatDecimal } from "../format-number.js";
import { htmlTable, type Cell, type TableRow } from "../html-table.js";
import type { ReportData } from "../report-data.js";
import { figure } from "./figure.js";

export async function tuningSection(tuning: ReportData["tuning"]): Promise<string> {
  if (!tuning || tuning.rows.length === 0) return "";
  const folds = Math.max(0, ...tuning.rows.map((r) => r.foldMetrics.length));
  const header: Cell[] = [
    { text: "position", numeric: true },
    ...tuning.paramNames.map((p) => ({ text: p })),
    { text: `mean ${tuning.metricName}`, numeric: true },
    { text: "std", numeric: true },
    ...Array.from({ length: folds }, (_, i) => ({ text: `fold ${i + 1}`, numeric: true })),
    { text: "" },
  ];
  // Sorted by rank; ties keep the grid's order so the table is the same for the same data.
  const ordered = tuning.rows.map((row, i) => ({ row, i })).sort((a, b) => a.row.rank - b.row.rank || a.i - b.i);
  const rows: TableRow[] = ordered.map(({ row }) => ({
    className: row.rank === 1 ? "best" : undefined,
    cells: [
      { text: String(row.rank), numeric: true },
      ...tuning.paramNames.map((p): Cell => ({ text: String(row.params[p] ?? ""), numeric: typeof row.params[p] === "number" })),
      { text: formatDecimal(row.mean), numeric: true, className: row.rank === 1 ? "best" : "" },
      { text: formatDecimal(row.std), numeric: true },
      ...Array.from({ length: folds }, (_, i): Cell => ({
        text: row.foldMetrics[i] === undefined ? "" : formatDecimal(row.foldMetrics[i]),
        numeric: true,
      })),
      { text: row.rank === 1 ? "best" : row.closeToBest ? "within 1 std of best" : "", className: "flag" },
    ],
  }));
  // Baselines on the same folds, as rows: a param map that does not beat them is not worth its fit.
  for (const b of tuning.baselines ?? []) {
    rows.push({
      className: "baseline",
      cells: [
        { text: "", numeric: true },
        ...tuning.paramNames.map((_, i): Cell => ({ text: i === 0 ? `baseline: ${b.name}` : "" })),
        { text: formatDecimal(b.mean), numeric: true },
        { text: formatDecimal(b.std), numeric: true },
        ...Array.from({ length: folds }, (_, i): Cell => ({ text: b.foldMetrics[i] === undefined ? "" : formatDecimal(b.foldMetrics[i]), numeric: true })),
        { text: "" },
      ],
    });
  }
  const best = ordered[0].row;
  const chart = await figure(
    tuningChartSpec(tuning),
    "chart-tuning",
    `${tuning.metricName} of each param map on each validation fold (grey), their mean ± one standard deviation, and the best mean (orange)` +
      `${tuning.baselines?.length ? "; the baselines' means on the same folds are the dashed grey lines" : ""}.`,
  );
  const summary = `<p class="note">Best param map: <strong>${escapeHtml(tuning.paramNames.map((p) => `${p}=${String(best.params[p])}`).join(", "))}</strong> with mean ${escapeHtml(tuning.metricName)} ${escapeHtml(formatDecimal(best.mean))} (${tuning.isLargerBetter ? "higher" : "lower"} is better).</p>`;
  const edges = (tuning.edges ?? []).map((e) => `<p class="note edge"><strong>Edge of the grid:</strong> ${escapeHtml(e)}.</p>`).join("");
  const close = tuning.rows.some((r) => r.closeToBest)
    ? `<p class="note">"within 1 std of best": the mean is within one standard deviation of the best mean; the folds cannot tell these param maps apart.</p>`
    : "";
  return `<section id="tuning"><h2>Tuning</h2>${summary}${edges}${chart}<h3>Param maps, best first</h3>${close}${htmlTable(header, rows)}</section>`;
}
