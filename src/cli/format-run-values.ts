/** How `recpipe runs` and `recpipe compare` print values: short, fixed precision, the same in both. */

export function formatMetric(x: number | undefined): string {
  if (x === undefined) return "";
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** +12.3% better than the best baseline, -4.0% worse. */
export function formatGain(g: number | undefined): string {
  if (g === undefined || !Number.isFinite(g)) return "";
  const pct = g * 100;
  return `${pct >= 0 ? "+" : ""}${Math.abs(pct) >= 100 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

export function formatParam(v: unknown): string {
  if (v === undefined) return "-";
  if (typeof v === "string") return /^[0-9a-f]{64}$/.test(v) ? v.slice(0, 12) : v;
  return JSON.stringify(v);
}

/** Local "yyyy-mm-dd hh:mm:ss" of an ISO time (what a person compares runs by). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
