import { Data, Dictionary, Float32, Float64, Int32, Int64, Utf8, makeData, makeVector, type DataType } from "apache-arrow";
import { ByteDictionary } from "./byte-dictionary.js";
import { FLOAT, INTEGER_INT32, NumberScanner, latin1 } from "./number-scanner.js";
import { ValidityBitmap } from "./validity-bitmap.js";

export type DeclaredType = "string" | "int32" | "float32" | "float64" | "int64";

/** Result of pushing one field into a column. */
export const PUSHED = 0;
export const NOT_NUMERIC = 1;
export const NOT_INTEGER = 2;
export type PushResult = typeof PUSHED | typeof NOT_NUMERIC | typeof NOT_INTEGER;

/** One column being filled from field bytes; rows arrive in order, the parser passes the row index. */
export interface ColumnBuilder {
  /** Field bytes b[s..e) (non-empty, already unquoted). */
  push(b: Uint8Array, s: number, e: number, row: number): PushResult;
  pushNull(row: number): void;
  /** Make room for at least `rows` rows (called with an estimate to avoid repeated doubling). */
  reserve(rows: number): void;
  /** Whether the column's type is still being inferred (a non-number would make it a string column). */
  readonly inferring: boolean;
  finish(length: number, encoding: "utf-8" | "latin1"): Data<DataType>;
}

function grownCapacity(current: number, row: number): number {
  return Math.max(row + 1, Math.ceil(current * 1.5) + 1024);
}

/**
 * Numbers parsed from bytes. An inferred column starts as int32 and widens to float64 the first time it sees a
 * non-integer or an integer beyond int32; a declared type is kept and violations are reported.
 */
export class NumericColumnBuilder implements ColumnBuilder {
  private mode: "inferInt" | "inferFloat" | DeclaredType;
  private i32: Int32Array | null = null;
  private f64: Float64Array | null = null;
  private f32: Float32Array | null = null;
  private i64: BigInt64Array | null = null;
  private capacity = 1024;
  private readonly validity = new ValidityBitmap();
  private readonly scanner = new NumberScanner();
  /** The first inferred integer written with a leading zero ("0012"): as a number it loses the zero. */
  firstLeadingZero: { row: number; text: string } | undefined;

  constructor(declared: Exclude<DeclaredType, "string"> | "infer") {
    this.mode = declared === "infer" ? "inferInt" : declared;
    this.allocate(this.capacity);
  }

  get inferring(): boolean {
    return this.mode === "inferInt" || this.mode === "inferFloat";
  }

  private allocate(capacity: number): void {
    const copy = <T extends Int32Array | Float64Array | Float32Array | BigInt64Array>(old: T | null, make: (n: number) => T): T => {
      const next = make(capacity);
      if (old) next.set(old.subarray(0, Math.min(old.length, capacity)) as never);
      return next;
    };
    switch (this.mode) {
      case "inferInt":
      case "int32":
        this.i32 = copy(this.i32, (n) => new Int32Array(n));
        break;
      case "inferFloat":
      case "float64":
        this.f64 = copy(this.f64, (n) => new Float64Array(n));
        break;
      case "float32":
        this.f32 = copy(this.f32, (n) => new Float32Array(n));
        break;
      case "int64":
        this.i64 = copy(this.i64, (n) => new BigInt64Array(n));
        break;
    }
    this.capacity = capacity;
    this.validity.grow(capacity);
  }

  reserve(rows: number): void {
    if (rows > this.capacity) this.allocate(rows);
  }

  push(b: Uint8Array, s: number, e: number, row: number): PushResult {
    if (row >= this.capacity) this.allocate(grownCapacity(this.capacity, row));
    const v = this.scanner.scan(b, s, e);
    const kind = this.scanner.kind;
    switch (this.mode) {
      case "inferInt":
        if (kind === INTEGER_INT32) {
          this.i32![row] = v;
          // Zero-padded ids (Amazon asins, ZIP codes) read as numbers lose their zeros: remember one to warn about.
          if (b[s] === 48 && e - s > 1 && this.firstLeadingZero === undefined) this.firstLeadingZero = { row, text: latin1(b, s, e) };
          return PUSHED;
        }
        if (kind !== FLOAT) return NOT_NUMERIC;
        this.widenToFloat64();
        this.f64![row] = v;
        return PUSHED;
      case "inferFloat":
      case "float64":
        if (kind === 0) return NOT_NUMERIC;
        this.f64![row] = v;
        return PUSHED;
      case "int32":
        if (kind === INTEGER_INT32) {
          this.i32![row] = v;
          return PUSHED;
        }
        return kind === 0 ? NOT_NUMERIC : NOT_INTEGER;
      case "float32":
        if (kind === 0) return NOT_NUMERIC;
        this.f32![row] = v;
        return PUSHED;
      case "int64":
        if (kind === 0) return NOT_NUMERIC;
        if (!this.scanner.isIntegerLiteral) return NOT_INTEGER;
        this.i64![row] = kind === INTEGER_INT32 ? BigInt(v) : BigInt(latin1(b, s, e).trim());
        return PUSHED;
      default:
        return NOT_NUMERIC;
    }
  }

  private widenToFloat64(): void {
    const f = new Float64Array(this.capacity);
    const i = this.i32!;
    for (let r = 0; r < i.length; r++) f[r] = i[r];
    this.f64 = f;
    this.i32 = null;
    this.mode = "inferFloat";
  }

  pushNull(row: number): void {
    if (row >= this.capacity) this.allocate(grownCapacity(this.capacity, row));
    this.validity.setNull(row, this.capacity);
  }

  finish(length: number): Data<DataType> {
    const nullBitmap = this.validity.finish(length);
    const nullCount = this.validity.nullCount;
    switch (this.mode) {
      case "inferInt":
      case "int32":
        return makeData({ type: new Int32(), length, nullCount, nullBitmap, data: this.i32!.subarray(0, length) });
      case "inferFloat":
      case "float64":
        return makeData({ type: new Float64(), length, nullCount, nullBitmap, data: this.f64!.subarray(0, length) });
      case "float32":
        return makeData({ type: new Float32(), length, nullCount, nullBitmap, data: this.f32!.subarray(0, length) });
      default:
        return makeData({ type: new Int64(), length, nullCount, nullBitmap, data: this.i64!.subarray(0, length) as never });
    }
  }
}

/** Strings as Dictionary<Utf8, Int32> codes, dictionary in first-seen order. */
export class StringColumnBuilder implements ColumnBuilder {
  readonly inferring = false;
  private codes = new Int32Array(1024);
  private readonly dictionary = new ByteDictionary();
  private readonly validity = new ValidityBitmap();

  reserve(rows: number): void {
    if (rows > this.codes.length) this.resize(rows);
  }

  private resize(capacity: number): void {
    const next = new Int32Array(capacity);
    next.set(this.codes.subarray(0, Math.min(capacity, this.codes.length)));
    this.codes = next;
    this.validity.grow(capacity);
  }

  push(b: Uint8Array, s: number, e: number, row: number): PushResult {
    if (row >= this.codes.length) this.resize(grownCapacity(this.codes.length, row));
    this.codes[row] = this.dictionary.codeOf(b, s, e);
    return PUSHED;
  }

  pushNull(row: number): void {
    if (row >= this.codes.length) this.resize(grownCapacity(this.codes.length, row));
    this.codes[row] = 0;
    this.validity.setNull(row, this.codes.length);
  }

  finish(length: number, encoding: "utf-8" | "latin1"): Data<DataType> {
    const { valueOffsets, data } = this.dictionary.utf8Buffers(encoding);
    return dictionaryData(this.codes.subarray(0, length), valueOffsets, data, this.validity.finish(length), this.validity.nullCount);
  }
}

/** Arrow Dictionary<Utf8, Int32> data from codes and the Utf8 buffers of the dictionary. */
export function dictionaryData(
  codes: Int32Array,
  valueOffsets: Int32Array,
  utf8: Uint8Array,
  nullBitmap: Uint8Array | undefined,
  nullCount: number,
): Data<DataType> {
  const dictValues = makeVector(makeData({ type: new Utf8(), length: valueOffsets.length - 1, valueOffsets, data: utf8 }));
  const type = new Dictionary(new Utf8(), new Int32());
  return makeData({ type, length: codes.length, nullCount, nullBitmap, data: codes, dictionary: dictValues }) as Data<DataType>;
}

/** Dictionary-encode JS strings (JSONL, already-decoded values) in first-seen order; null stays null. */
export function dictionaryFromStrings(values: readonly (string | null)[]): Data<DataType> {
  const codeOf = new Map<string, number>();
  const codes = new Int32Array(values.length);
  const validity = new ValidityBitmap();
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const offsets: number[] = [0];
  let total = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === null) {
      validity.setNull(r, values.length);
      continue;
    }
    let code = codeOf.get(v);
    if (code === undefined) {
      code = codeOf.size;
      codeOf.set(v, code);
      const bytes = encoder.encode(v);
      parts.push(bytes);
      total += bytes.length;
      offsets.push(total);
    }
    codes[r] = code;
  }
  const utf8 = new Uint8Array(total);
  let w = 0;
  for (const p of parts) {
    utf8.set(p, w);
    w += p.length;
  }
  return dictionaryData(codes, Int32Array.from(offsets), utf8, validity.finish(values.length), validity.nullCount);
}
