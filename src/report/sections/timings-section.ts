import { formatSeconds } from "../format-number.js";
import { htmlTable, type Cell, type TableRow } from "../html-table.js";
import type { ReportData } from "../report-data.js";

/** Wall-clock time of each step, with a CSS bar for scale (no chart needed). */
export function timingsSection(timings: ReportData["timingsSeconds"]): string {
  const entries = Object.entries(timings ?? {}).filter(([, s]) => Number.isFinite(s));
  if (entries.length === 0) return "";
  const longest = Math.max(...entries.map(([, s]) => s), 1e-9);
  const header: Cell[] = [{ text: "step" }, { text: "time", numeric: true }, { text: "" }];
  const rows: TableRow[] = entries.map(([step, s]) => ({
    cells: [
      { text: step },
      { text: formatSeconds(s), numeric: true },
      { html: `<span class="bar" style="width:${Math.max(1, Math.round((s / longest) * 240))}px"></span>` },
    ],
  }));
  return `<section id="timings"><h2>Timings</h2>${htmlTable(header, rows)}</section>`;
}
