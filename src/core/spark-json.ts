/**
 * Spark's metadata JSON distinguishes integers from doubles: DoubleParam.jsonDecode rejects `1` and accepts `1.0`
 * (checked against Spark 3.5.8: "Cannot decode JInt(1) to Double"). JavaScript numbers lose that distinction, so
 * double-typed params are wrapped in SparkDouble and written with a decimal point.
 */
export class SparkDouble {
  constructor(readonly value: number) {}
}

/** Param.jsonEncode for a double: NaN and infinities as strings, integral values with ".0". */
export function sparkDoubleText(x: number): string {
  if (Number.isNaN(x)) return '"NaN"';
  if (!Number.isFinite(x)) return x > 0 ? '"Inf"' : '"-Inf"';
  const s = JSON.stringify(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** JSON.stringify that writes SparkDouble values as Spark doubles. Compact, keys in insertion order. */
export function toSparkJson(value: unknown): string {
  if (value instanceof SparkDouble) return sparkDoubleText(value.value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : toSparkJson(v))).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toSparkJson(v)}`);
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
