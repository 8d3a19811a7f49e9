/**
 * Parses a number straight from the bytes of a field, without building a JS string (the CSV hot path).
 *
 * Accepted syntax: optional spaces, optional sign, digits with an optional fraction, optional exponent, and the
 * literals NaN, Infinity, Inf (with sign). Hex, underscores and empty text are not numbers (JavaScript's Number()
 * would accept some of them; Spark's Double.parseDouble would not).
 *
 * Rounding: with at most 15 significant digits and a decimal exponent within ±22 both operands of the final
 * multiply/divide are exact doubles, so the single IEEE rounding gives the correctly rounded result (Clinger's
 * fast path). Anything else goes through parseFloat on the validated text, which is correctly rounded too.
 */
export const NOT_A_NUMBER = 0;
export const INTEGER_INT32 = 1;
export const FLOAT = 2;
export type NumberKind = typeof NOT_A_NUMBER | typeof INTEGER_INT32 | typeof FLOAT;

const POW10 = new Float64Array(23).map((_, i) => 10 ** i);

export class NumberScanner {
  /** Kind of the last scanned field; INTEGER_INT32 means "an integer literal within int32". */
  kind: NumberKind = NOT_A_NUMBER;
  /** True when the last scanned field was an integer literal (any magnitude). */
  isIntegerLiteral = false;

  scan(b: Uint8Array, start: number, end: number): number {
    let s = start;
    let e = end;
    while (s < e && b[s] === 32) s++;
    while (e > s && b[e - 1] === 32) e--;
    this.isIntegerLiteral = false;
    if (s === e) {
      this.kind = NOT_A_NUMBER;
      return 0;
    }
    let i = s;
    let neg = false;
    let c = b[i];
    if (c === 45) {
      neg = true;
      i++;
    } else if (c === 43) i++;
    let mant = 0;
    const intStart = i;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      i++;
    }
    const nInt = i - intStart;
    if (i === e) {
      if (nInt === 0) return this.notANumber();
      this.isIntegerLiteral = true;
      if (nInt <= 15) {
        if (mant <= (neg ? 2147483648 : 2147483647)) {
          this.kind = INTEGER_INT32;
          return neg ? -mant : mant;
        }
        this.kind = FLOAT;
        return neg ? -mant : mant;
      }
      return this.slowPath(b, s, e);
    }
    let nFrac = 0;
    if (b[i] === 46) {
      i++;
      const fracStart = i;
      while (i < e) {
        const d = b[i] - 48;
        if (d < 0 || d > 9) break;
        mant = mant * 10 + d;
        i++;
      }
      nFrac = i - fracStart;
    }
    if (nInt + nFrac === 0) return this.literal(b, s, e);
    let exp = 0;
    if (i < e && (b[i] === 101 || b[i] === 69)) {
      i++;
      let expNeg = false;
      if (i < e && (b[i] === 45 || b[i] === 43)) {
        expNeg = b[i] === 45;
        i++;
      }
      const expStart = i;
      while (i < e) {
        const d = b[i] - 48;
        if (d < 0 || d > 9) break;
        if (exp < 100000) exp = exp * 10 + d;
        i++;
      }
      if (i === expStart) return this.notANumber();
      if (expNeg) exp = -exp;
    }
    if (i !== e) return this.notANumber();
    this.kind = FLOAT;
    if (nInt + nFrac <= 15) {
      const e10 = exp - nFrac;
      if (e10 >= -22 && e10 <= 22) {
        const v = e10 < 0 ? mant / POW10[-e10] : mant * POW10[e10];
        return neg ? -v : v;
      }
    }
    return this.slowPath(b, s, e);
  }

  private notANumber(): number {
    this.kind = NOT_A_NUMBER;
    return 0;
  }

  private slowPath(b: Uint8Array, s: number, e: number): number {
    this.kind = FLOAT;
    return parseFloat(latin1(b, s, e));
  }

  /** NaN, Infinity, Inf with an optional sign. */
  private literal(b: Uint8Array, s: number, e: number): number {
    const text = latin1(b, s, e);
    const m = /^([+-]?)(NaN|Infinity|Inf)$/.exec(text);
    if (!m) return this.notANumber();
    this.kind = FLOAT;
    if (m[2] === "NaN") return NaN;
    return m[1] === "-" ? -Infinity : Infinity;
  }
}

export function latin1(b: Uint8Array, s: number, e: number): string {
  let out = "";
  for (let i = s; i < e; i += 4096) out += String.fromCharCode.apply(null, Array.from(b.subarray(i, Math.min(e, i + 4096))));
  return out;
}
