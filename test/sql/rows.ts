/** Rows of a table or of Spark's JSON as comparable values, for the SQL parity tests. */
import type { Table } from "apache-arrow";

export type Cell = string | number | boolean | null;

export function tableRows(t: Table): Cell[][] {
  const cols = t.schema.fields.map((f) => t.getChild(f.name)!);
  const rows: Cell[][] = [];
  for (let i = 0; i < t.numRows; i++) rows.push(cols.map((c) => cellOf(c.get(i))));
  return rows;
}

function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  throw new Error(`unexpected cell ${String(v)}`);
}

/** Spark's JSON cell: NaN and infinities arrive as strings. */
export function sparkCell(v: Cell): Cell {
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  return v;
}

export function sameCell(a: Cell, b: Cell): boolean {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
    return Math.abs(a - b) <= 1e-12 + 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/** A key that sorts rows the same way on both sides (numbers to 9 significant digits). */
export function rowKey(r: Cell[]): string {
  return JSON.stringify(r.map((c) => (typeof c === "number" ? (Number.isFinite(c) ? Number(c.toPrecision(9)) : String(c)) : c)));
}
