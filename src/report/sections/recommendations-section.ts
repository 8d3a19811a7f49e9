import { escapeHtml } from "../escape-html.js";
import { formatDecimal, formatInteger } from "../format-number.js";
import { htmlTable, type Cell, type TableRow } from "../html-table.js";
import type { ReportData } from "../report-data.js";

/** A sample, not the whole output: recommendations.parquet holds every user's list. */
const MAX_USERS = 10;

/**
 * Each sampled user's list as one wrapping cell, as long as the run's k: the table fits the page width whatever k is
 * (a column per rank would not, at k = 20).
 */
export function recommendationsSection(recs: ReportData["recommendations"], totalUsers?: number, k?: number): string {
  const shown = (recs ?? []).slice(0, MAX_USERS);
  if (shown.length === 0) return "";
  const listed = k ?? Math.max(...shown.map((r) => r.items.length));
  const header: Cell[] = [{ text: "user" }, { text: `top ${listed} items, best first (predicted score)` }];
  const rows: TableRow[] = shown.map((r) => ({
    cells: [
      { text: r.user },
      {
        html: `<ol class="recs">${r.items
          .slice(0, listed)
          .map(
            (rec) =>
              `<li>${escapeHtml(rec.item)}${rec.label ? ` <span class="label">${escapeHtml(rec.label)}</span>` : ""}<span class="score">${escapeHtml(formatDecimal(rec.score))}</span></li>`,
          )
          .join("")}</ol>`,
      },
    ],
  }));
  const total = totalUsers ?? recs?.length ?? 0;
  const heading = `<h3>${escapeHtml(formatInteger(shown.length))} of ${escapeHtml(formatInteger(total))} users shown</h3>`;
  const note = `<p class="note">Top ${listed} items for each user${shown.length < total ? "; recommendations.parquet holds every user's list" : ""}.</p>`;
  return `<section id="recommendations"><h2>Recommendations</h2>${heading}${note}${htmlTable(header, rows)}</section>`;
}
