/**
 * Spark's cast of numbers to strings (Cast to StringType uses the JVM's toString): what StringIndexer matches
 * numeric input columns on. int 5 -> "5", double 5 -> "5.0", 1e7 -> "1.0E7", 0.0001 -> "1.0E-4".
 * JavaScript's shortest round-trip digits equal the JDK's (JDK 19+ Double.toString is shortest-digits too).
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (d === Infinity) return "Infinity";
  if (d === -Infinity) return "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  return javaFormat(d, d.toExponential());
}

/** Java's Float.toString for a float32 value: the shortest digits that read back to the same float. */
export function javaFloatToString(f: number): string {
  if (Number.isNaN(f) || f === 0 || !Number.isFinite(f)) return javaDoubleToString(f);
  const target = Math.fround(f);
  for (let p = 0; p < 9; p++) {
    const s = target.toExponential(p);
    if (Math.fround(Number(s)) === target) return javaFormat(target, s);
  }
  return javaFormat(target, target.toExponential(8));
}

/** Lays out `expo` ("d.ddde+x") the way Java does: plain in [1e-3, 1e7), else "d.dddE<x>", always one fraction digit. */
function javaFormat(value: number, expo: string): string {
  const neg = value < 0;
  const m = /^-?(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(expo);
  if (!m) throw new Error(`unexpected exponential form ${expo}`);
  const digits = (m[1] + (m[2] ?? "")).replace(/0+$/, "") || "0";
  const exp = Number(m[3]);
  const abs = Math.abs(value);
  let body: string;
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
      body = `${intPart}.${digits.slice(exp + 1) || "0"}`;
    } else {
      body = `0.${"0".repeat(-exp - 1)}${digits}`;
    }
  } else {
    body = `${digits[0]}.${digits.slice(1) || "0"}E${exp}`;
  }
  return neg ? `-${body}` : body;
}
