import { formatInteger } from "../format-number.js";
import { htmlTable, type Cell, type TableRow } from "../html-table.js";
import type { ReportData } from "../report-data.js";

/** The prepare funnel: a row per step with its counts, and a CSS bar of the rows kept (no chart needed). */
export function prepareSection(funnel: ReportData["prepare"]): string {
  if (!funnel || funnel.length === 0) return "";
  const first = Math.max(1, funnel[0].rows);
  const count = (n: number | undefined) => ({ text: n === undefined ? "" : formatInteger(n), numeric: true });
  const header: Cell[] = [
    { text: "step" },
    { text: "rows", numeric: true },
    { text: "users", numeric: true },
    { text: "items", numeric: true },
    { text: "duplicate pairs", numeric: true },
    { text: "" },
  ];
  const rows: TableRow[] = funnel.map((f) => ({
    cells: [
      { text: f.type ? `${f.step} ${f.type}` : f.step },
      count(f.rows),
      count(f.users),
      count(f.items),
      count(f.duplicatePairs),
      { html: `<span class="bar" style="width:${Math.max(1, Math.round((f.rows / first) * 240))}px"></span>` },
    ],
  }));
  return `<section id="prepare"><h2>Prepare</h2><p class="note">Rows, distinct users and items after reading and after each prepare step, applied in order before the split.</p>${htmlTable(header, rows)}</section>`;
}
