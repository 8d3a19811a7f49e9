import { escapeHtml } from "../escape-html.js";
import { formatDecimal } from "../format-number.js";
import { htmlTable, type Cell, type TableRow } from "../html-table.js";
import type { ReportData } from "../report-data.js";

/** A sample, not the whole output: recommendations.parquet holds every user's list. */
const MAX_USERS = 10;
const MAX_ITEMS = 10;

export function recommendationsSection(recs: ReportData["recommendations"]): string {
  const shown = (recs ?? []).slice(0, MAX_USERS);
  if (shown.length === 0) return "";
  const k = Math.min(MAX_ITEMS, Math.max(...shown.map((r) => r.items.length)));
  const header: Cell[] = [{ text: "user" }, ...Array.from({ length: k }, (_, i) => ({ text: `#${i + 1}` }))];
  const rows: TableRow[] = shown.map((r) => ({
    cells: [
      { text: r.user },
      ...Array.from({ length: k }, (_, i): Cell => {
        const rec = r.items[i];
        return rec ? { html: `${escapeHtml(rec.item)}<span class="score">${escapeHtml(formatDecimal(rec.score))}</span>` } : { text: "" };
      }),
    ],
  }));
  const total = recs?.length ?? 0;
  const note = `<p class="note">Top ${k} items for ${shown.length === total ? `all ${total}` : `the first ${shown.length} of ${total}`} users shown, with predicted scores.</p>`;
  return `<section id="recommendations"><h2>Recommendations</h2>${note}${htmlTable(header, rows)}</section>`;
}
