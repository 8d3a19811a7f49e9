/**
 * Number formatting that does not depend on the machine's locale or ICU data, so the same report
 * data always renders the same bytes.
 */
export function formatInteger(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? "-" : "";
  const digits = Math.round(Math.abs(n)).toString();
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A metric or score: 4 decimals, or 4 significant digits for very small or large magnitudes. */
export function formatDecimal(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return n.toPrecision(4);
  return n.toFixed(4);
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  return s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`;
}

export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  return `${(fraction * 100).toFixed(fraction > 0.99 ? 3 : 2)}%`;
}
