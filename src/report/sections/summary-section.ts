import { ratingHistogramSpec } from "../charts/rating-histogram.js";
import { escapeHtml } from "../escape-html.js";
import { formatInteger, formatPercent } from "../format-number.js";
import type { ReportData } from "../report-data.js";
import { figure } from "./figure.js";

export async function summarySection(data: ReportData["data"]): Promise<string> {
  const cards: [string, string][] = [["rows", formatInteger(data.rows)]];
  if (data.users !== undefined) cards.push(["users", formatInteger(data.users)]);
  if (data.items !== undefined) cards.push(["items", formatInteger(data.items)]);
  if (data.sparsity !== undefined) cards.push(["sparsity", formatPercent(data.sparsity)]);
  if (data.trainRows !== undefined) cards.push(["train rows", formatInteger(data.trainRows)]);
  if (data.testRows !== undefined) cards.push(["test rows", formatInteger(data.testRows)]);
  const cardsHtml = cards
    .map(([label, value]) => `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`)
    .join("");
  const chart = await figure(ratingHistogramSpec(data.ratingHistogram), "chart-ratings", "Number of ratings with each value.");
  return `<section id="data"><h2>Data</h2><div class="cards">${cardsHtml}</div>${chart ? `<h3>Rating distribution</h3>${chart}` : ""}</section>`;
}
