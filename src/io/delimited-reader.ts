import { open } from "node:fs/promises";
import path from "node:path";
import { Field, RecordBatch, Schema, Struct, Table, makeData, type Data, type DataType } from "apache-arrow";
import { InputError, didYouMean } from "../core/errors.js";
import { NOT_INTEGER, NOT_NUMERIC, NumericColumnBuilder, PUSHED, StringColumnBuilder, type ColumnBuilder, type DeclaredType } from "./column-builders.js";
import { latin1 } from "./number-scanner.js";
import { FIRST_MISSING_KEY, LEADING_ZEROS_KEY, TEXT_REASON_KEY } from "../core/table.js";

export interface DelimitedOptions {
  delimiter: string;
  header: boolean;
  columns?: string[];
  encoding: "utf-8" | "latin1";
  types?: Record<string, DeclaredType>;
  /** Fields equal to one of these strings (after unquoting) are null; an empty field always is. */
  nullValues?: string[];
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * Read only the records in the first `sampleBytes` bytes (at least one data row): the header and column types of a
   * large file without reading all of it (`recpipe validate`). Types are then inferred from those rows only.
   */
  sampleBytes?: number;
}

const BLOCK_BYTES = 8 << 20;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Thrown inside a parse when an inferred numeric column meets text: the file is parsed again with it as string. */
class RestartAsString {
  constructor(
    readonly column: number,
    /** Where and what the first non-numeric value was, kept on the column (see TEXT_REASON_KEY). */
    readonly reason: string,
  ) {}
}

/**
 * Streaming CSV/TSV reader: reads the file in 8 MB blocks and turns fields into typed columns directly from the
 * bytes (no per-row objects, no JS string per numeric field). Types are inferred per column over all rows; when a
 * column that looked numeric turns out to hold text, the file is read again with that column as string (rare, and
 * usually discovered on the first row).
 */
export async function readDelimited(file: string, opts: DelimitedOptions): Promise<Table> {
  if (opts.delimiter.length === 0 || /["\r\n]/.test(opts.delimiter)) {
    throw new InputError(
      "E_SPEC",
      `${file}: delimiter must be one or more characters other than a quote or a line break, got ${JSON.stringify(opts.delimiter)}`,
    );
  }
  const forcedString = new Map<number, string>();
  for (;;) {
    try {
      return await parseOnce(file, opts, forcedString);
    } catch (e) {
      if (e instanceof RestartAsString) {
        forcedString.set(e.column, e.reason);
        continue;
      }
      throw e;
    }
  }
}

async function parseOnce(file: string, opts: DelimitedOptions, forcedString: Map<number, string>): Promise<Table> {
  const name = path.basename(file);
  let handle;
  try {
    handle = await open(file, "r");
  } catch (e) {
    throw new InputError("E_FILE", `${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputError("E_FILE", `${file}: is a directory, expected a ${opts.delimiter === "\t" ? "TSV" : "CSV"} file`);
    const total = stat.size;
    if (total === 0) throw new InputError("E_DATA", `${file}: file is empty (no header and no rows)`);
    const parser = new DelimitedParser(name, opts, forcedString);
    let buf = new Uint8Array(Math.min(opts.sampleBytes ?? BLOCK_BYTES, total + 1));
    let filled = 0;
    let fileOffset = 0;
    let first = true;
    for (;;) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, fileOffset);
      fileOffset += bytesRead;
      filled += bytesRead;
      const final = bytesRead === 0 || fileOffset >= total;
      let start = 0;
      if (first) {
        first = false;
        if (filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      }
      const consumed = parser.parseBlock(buf, start, filled, final);
      opts.onProgress?.(fileOffset, total);
      if (final) break;
      if (opts.sampleBytes !== undefined && parser.rows > 0) break;
      if (parser.rows > 0 && !parser.reserved) parser.reserveFor(total, fileOffset - (filled - consumed));
      const left = filled - consumed;
      if (left === buf.length) {
        // One record is longer than the buffer: double it, so a huge field costs linear time overall.
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      } else if (consumed > 0) {
        buf.copyWithin(0, consumed, filled);
      }
      filled = left;
    }
    return parser.finish(file);
  } finally {
    await handle.close();
  }
}

export class DelimitedParser {
  rows = 0;
  reserved = false;
  /** 1-based line number where the next record starts. */
  private line = 1;
  private names: string[] | null = null;
  private builders: ColumnBuilder[] = [];
  /** Per column: whether it is read as numbers, and where its first empty, NaN or infinite value is (file:line). */
  private numeric: boolean[] = [];
  private firstMissing: (string | undefined)[] = [];
  private ncols = -1;
  private headerPending: boolean;
  private fieldStart = new Int32Array(64);
  private fieldEnd = new Int32Array(64);
  /** 0 = plain, 1 = quoted, 2 = quoted with "" escapes. */
  private fieldQuote = new Uint8Array(64);
  private scratch = new Uint8Array(1024);
  /** First byte of the delimiter, and the rest of its bytes when it has several (MovieLens 1M's "::"), else null. */
  private readonly delim: number;
  private readonly delimRest: Uint8Array | null;
  /** nullValues as bytes in the file's encoding (empty strings left out: an empty field is null anyway). */
  private readonly nullBytes: Uint8Array[];

  constructor(
    private readonly fileName: string,
    private readonly opts: DelimitedOptions,
    private readonly forcedString: Map<number, string>,
  ) {
    const bytes = opts.encoding === "latin1" ? Uint8Array.from(opts.delimiter, (ch) => ch.charCodeAt(0) & 0xff) : new TextEncoder().encode(opts.delimiter);
    this.delim = bytes[0];
    this.delimRest = bytes.length > 1 ? bytes.subarray(1) : null;
    this.headerPending = opts.header;
    const encode = (t: string) => (opts.encoding === "latin1" ? Uint8Array.from(t, (ch) => ch.charCodeAt(0) & 0xff) : new TextEncoder().encode(t));
    this.nullBytes = (opts.nullValues ?? []).filter((t) => t !== "").map(encode);
  }

  /** Whether b[s..e) is one of the nullValues. */
  private isNullValue(b: Uint8Array, s: number, e: number): boolean {
    for (const t of this.nullBytes) {
      if (t.length !== e - s) continue;
      let j = 0;
      while (j < t.length && b[s + j] === t[j]) j++;
      if (j === t.length) return true;
    }
    return false;
  }

  reserveFor(totalBytes: number, bytesConsumed: number): void {
    this.reserved = true;
    const estimate = Math.ceil((totalBytes / Math.max(1, bytesConsumed)) * this.rows * 1.02) + 1024;
    for (const b of this.builders) b.reserve(estimate);
  }

  /**
   * For a multi-byte delimiter whose first byte is at b[pos]: 1 when the rest follows, 0 when it does not, -1 when
   * the block ends before that can be told.
   */
  private restOfDelimiter(b: Uint8Array, pos: number, end: number): number {
    const rest = this.delimRest!;
    for (let j = 0; j < rest.length; j++) {
      if (pos + 1 + j >= end) return -1;
      if (b[pos + 1 + j] !== rest[j]) return 0;
    }
    return 1;
  }

  /** Parses the complete records in b[pos..end); returns where the first incomplete record starts. */
  parseBlock(b: Uint8Array, pos: number, end: number, final: boolean): number {
    const D = this.delim;
    while (pos < end) {
      const c0 = b[pos];
      if (c0 === LF) {
        pos++;
        this.line++;
        continue;
      }
      if (c0 === CR) {
        if (pos + 1 < end) pos += b[pos + 1] === LF ? 2 : 1;
        else if (final) pos++;
        else return pos;
        this.line++;
        continue;
      }
      const rowStart = pos;
      let nf = 0;
      let innerLines = 0;
      let complete = false;
      for (;;) {
        let s = pos;
        let e: number;
        let quote = 0;
        if (pos < end && b[pos] === QUOTE) {
          quote = 1;
          pos++;
          s = pos;
          for (;;) {
            while (pos < end && b[pos] !== QUOTE) {
              if (b[pos] === LF) innerLines++;
              pos++;
            }
            if (pos >= end) {
              if (final)
                throw new InputError("E_DATA", `${this.fileName}:${this.line}: unterminated quoted field (no closing quote before the end of the file)`);
              return rowStart;
            }
            if (pos + 1 < end && b[pos + 1] === QUOTE) {
              quote = 2;
              pos += 2;
              continue;
            }
            if (pos + 1 >= end && !final) return rowStart;
            break;
          }
          e = pos;
          pos++;
          const delimAfterQuote = pos < end && b[pos] === D && (this.delimRest === null || this.restOfDelimiter(b, pos, end) !== 0);
          if (pos < end && !delimAfterQuote && b[pos] !== LF && b[pos] !== CR) {
            throw new InputError(
              "E_DATA",
              `${this.fileName}:${this.line + innerLines}: expected a delimiter or end of line after a closing quote, found ${JSON.stringify(String.fromCharCode(b[pos]))}`,
            );
          }
        } else if (this.delimRest === null) {
          while (pos < end) {
            const c = b[pos];
            if (c === D || c === LF || c === CR) break;
            pos++;
          }
          e = pos;
        } else {
          // A multi-byte delimiter: its first byte alone does not end the field.
          while (pos < end) {
            const c = b[pos];
            if (c === LF || c === CR) break;
            if (c === D) {
              const m = this.restOfDelimiter(b, pos, end);
              if (m > 0) break;
              if (m < 0 && !final) return rowStart;
            }
            pos++;
          }
          e = pos;
        }
        if (nf >= this.fieldStart.length) this.growFields();
        this.fieldStart[nf] = s;
        this.fieldEnd[nf] = e;
        this.fieldQuote[nf] = quote;
        nf++;
        if (pos >= end) {
          if (!final) return rowStart;
          complete = true;
          break;
        }
        const c = b[pos];
        if (c === D) {
          if (this.delimRest === null) {
            pos++;
            continue;
          }
          const m = this.restOfDelimiter(b, pos, end);
          if (m < 0 && !final) return rowStart;
          if (m > 0) {
            pos += 1 + this.delimRest.length;
            continue;
          }
        }
        if (c === CR) {
          if (pos + 1 < end) pos += b[pos + 1] === LF ? 2 : 1;
          else if (final) pos++;
          else return rowStart;
        } else pos++;
        complete = true;
        break;
      }
      if (complete) this.commitRow(b, nf);
      this.line += 1 + innerLines;
    }
    return pos;
  }

  private growFields(): void {
    const n = this.fieldStart.length * 2;
    const s = new Int32Array(n);
    s.set(this.fieldStart);
    this.fieldStart = s;
    const e = new Int32Array(n);
    e.set(this.fieldEnd);
    this.fieldEnd = e;
    const q = new Uint8Array(n);
    q.set(this.fieldQuote);
    this.fieldQuote = q;
  }

  private commitRow(b: Uint8Array, nf: number): void {
    if (this.ncols < 0) this.setUpColumns(b, nf);
    if (this.headerPending) {
      this.headerPending = false;
      return;
    }
    if (nf !== this.ncols) {
      throw new InputError("E_DATA", `${this.fileName}:${this.line}: expected ${this.ncols} fields, found ${nf}`);
    }
    const row = this.rows;
    const builders = this.builders;
    const starts = this.fieldStart;
    const ends = this.fieldEnd;
    const quotes = this.fieldQuote;
    for (let i = 0; i < nf; i++) {
      let s = starts[i];
      let e = ends[i];
      let src = b;
      if (s === e) {
        builders[i].pushNull(row);
        if (this.firstMissing[i] === undefined) this.firstMissing[i] = `${this.fileName}:${this.line} (empty)`;
        continue;
      }
      if (quotes[i] === 2) {
        src = this.unescape(b, s, e);
        e = e - s - this.escapes(b, s, e);
        s = 0;
      }
      if (this.nullBytes.length > 0 && this.isNullValue(src, s, e)) {
        builders[i].pushNull(row);
        if (this.firstMissing[i] === undefined) this.firstMissing[i] = `${this.fileName}:${this.line} ('${latin1(src, s, e)}', one of source.nullValues)`;
        continue;
      }
      const r = builders[i].push(src, s, e, row);
      if (r !== PUSHED) this.fieldError(i, src, s, e, r);
      else if (this.numeric[i] && this.firstMissing[i] === undefined && isNonFiniteLiteral(src, s))
        this.firstMissing[i] = `${this.fileName}:${this.line} ('${latin1(src, s, e)}')`;
    }
    this.rows = row + 1;
  }

  private escapes(b: Uint8Array, s: number, e: number): number {
    let n = 0;
    for (let i = s; i < e; i++) if (b[i] === QUOTE) (i++, n++);
    return n;
  }

  /** Copies a quoted field with "" escapes into scratch as single quotes. */
  private unescape(b: Uint8Array, s: number, e: number): Uint8Array {
    if (this.scratch.length < e - s) this.scratch = new Uint8Array(Math.max(e - s, this.scratch.length * 2));
    const out = this.scratch;
    let w = 0;
    for (let i = s; i < e; i++) {
      out[w++] = b[i];
      if (b[i] === QUOTE) i++;
    }
    return out;
  }

  private fieldError(col: number, b: Uint8Array, s: number, e: number, result: number): never {
    const raw = latin1(b, s, Math.min(e, s + 60));
    const shown = this.opts.encoding === "utf-8" ? Buffer.from(raw, "latin1").toString("utf8") : raw;
    if (this.builders[col].inferring) throw new RestartAsString(col, `${this.fileName}:${this.line} has '${shown}${e - s > 60 ? "..." : ""}'`);
    const expected = result === NOT_INTEGER ? "an integer" : result === NOT_NUMERIC ? "a number" : "a value";
    throw new InputError(
      "E_DATA",
      `${this.fileName}:${this.line} column ${this.names![col]}: expected ${expected} (declared ${this.opts.types?.[this.names![col]]}), found '${shown}${e - s > 60 ? "..." : ""}'`,
    );
  }

  private decode(b: Uint8Array, s: number, e: number, quote: number): string {
    let bytes = b.subarray(s, e);
    if (quote === 2) bytes = this.unescape(b, s, e).subarray(0, e - s - this.escapes(b, s, e));
    return Buffer.from(bytes).toString(this.opts.encoding === "latin1" ? "latin1" : "utf8");
  }

  private setUpColumns(b: Uint8Array, nf: number): void {
    const { columns, header } = this.opts;
    this.ncols = nf;
    let names: string[];
    if (header) {
      names = [];
      for (let i = 0; i < nf; i++) names.push(this.decode(b, this.fieldStart[i], this.fieldEnd[i], this.fieldQuote[i]));
    } else names = Array.from({ length: nf }, (_, i) => `_c${i}`);
    if (columns) {
      if (columns.length !== nf) {
        const what = header ? "the header has" : "the first row has";
        throw new InputError("E_COLUMN", `${this.fileName}:${this.line}: columns lists ${columns.length} names but ${what} ${nf} fields`);
      }
      names = columns.slice();
    }
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new InputError("E_COLUMN", `${this.fileName}: duplicate column name "${n}"`);
      seen.add(n);
    }
    const types = this.opts.types ?? {};
    for (const key of Object.keys(types)) {
      if (!seen.has(key)) {
        throw new InputError(
          "E_COLUMN",
          `${this.fileName}: types names column "${key}", which the file does not have${didYouMean(key, names)}; columns are ${names.join(", ")}`,
        );
      }
    }
    this.names = names;
    this.firstMissing = names.map(() => undefined);
    this.numeric = names.map((n, i) => types[n] !== "string" && !(types[n] === undefined && this.forcedString.has(i)));
    this.builders = names.map((n, i) => {
      const declared = types[n];
      if (declared === "string" || (declared === undefined && this.forcedString.has(i))) return new StringColumnBuilder();
      return new NumericColumnBuilder(declared ?? "infer");
    });
  }

  finish(file: string): Table {
    if (this.ncols < 0) throw new InputError("E_DATA", `${file}: file is empty (no header and no rows)`);
    if (this.rows === 0) {
      throw new InputError("E_DATA", `${file}: no data rows${this.opts.header ? " after the header" : ""}`);
    }
    const children: Data<DataType>[] = this.builders.map((b) => b.finish(this.rows, this.opts.encoding));
    const fields = children.map((d, i) => {
      const reason = this.forcedString.get(i);
      const meta = new Map<string, string>();
      if (reason && this.opts.types?.[this.names![i]] === undefined) meta.set(TEXT_REASON_KEY, reason);
      const b = this.builders[i];
      const zero = b instanceof NumericColumnBuilder && b.inferring ? b.firstLeadingZero : undefined;
      if (zero) meta.set(LEADING_ZEROS_KEY, `"${zero.text}" (data row ${zero.row + 1}) became ${Number(zero.text)}`);
      if (this.numeric[i] && this.firstMissing[i] !== undefined) meta.set(FIRST_MISSING_KEY, this.firstMissing[i]!);
      return new Field(this.names![i], d.type, true, meta.size ? meta : undefined);
    });
    const schema = new Schema(fields);
    const struct = makeData({ type: new Struct(fields), length: this.rows, nullCount: 0, children });
    return new Table([new RecordBatch(schema, struct)]);
  }
}

/** A number field that parsed as NaN, Infinity or Inf (the only non-finite literals the number scanner accepts). */
function isNonFiniteLiteral(b: Uint8Array, s: number): boolean {
  const c = b[s] === 43 || b[s] === 45 ? b[s + 1] : b[s]; // optional + or -
  return c === 78 || c === 73; // N, I
}
