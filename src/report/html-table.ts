import { escapeHtml } from "./escape-html.js";

/** A table cell: text is escaped; `html` is trusted markup built by the report itself. */
export type Cell =
  { text: string; html?: undefined; numeric?: boolean; className?: string } | { html: string; text?: undefined; numeric?: boolean; className?: string };

export interface TableRow {
  cells: Cell[];
  className?: string;
}

export function htmlTable(header: Cell[], rows: TableRow[]): string {
  const cell = (tag: "th" | "td", c: Cell) => {
    const classes = [c.numeric ? "num" : "", c.className ?? ""].filter(Boolean).join(" ");
    const attr = classes ? ` class="${escapeHtml(classes)}"` : "";
    return `<${tag}${attr}>${c.html ?? escapeHtml(c.text)}</${tag}>`;
  };
  const head = `<thead><tr>${header.map((c) => cell("th", c)).join("")}</tr></thead>`;
  const body = rows.map((r) => `<tr${r.className ? ` class="${escapeHtml(r.className)}"` : ""}>${r.cells.map((c) => cell("td", c)).join("")}</tr>`).join("\n");
  return `<div class="table-wrap"><table>${head}<tbody>\n${body}\n</tbody></table></div>`;
}
