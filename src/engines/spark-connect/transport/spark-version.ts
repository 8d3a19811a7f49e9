/** Compares dotted versions numerically ("4.0.5" < "4.10.0"); suffixes such as "-SNAPSHOT" are ignored. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) =>
    v
      .split(/[^0-9.]/)[0]
      .split(".")
      .map((x) => Number(x) || 0);
  const x = parse(a),
    y = parse(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
