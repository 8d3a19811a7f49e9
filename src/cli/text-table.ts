/** Columns padded to their widest cell, two spaces apart; numeric columns (right-aligned) are named in `right`. */
export function textTable(header: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((x, c) => (right.has(c) ? (x ?? "").padStart(widths[c]) : (x ?? "").padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
