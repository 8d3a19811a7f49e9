import { DataType, type Data, type Table } from "apache-arrow";
import { isValid } from "./table.js";

/**
 * Per-row hash state from the row's values and the seed alone: the same rows give the same numbers whatever their
 * order in the file, in O(rows x columns) with no sort. Identical rows hash alike (they land in the same split),
 * which Spark's sort-then-draw randomSplit does not guarantee either way. Each column is mixed in by a loop
 * specialised to its type (no per-row closure calls): 25M rows x 4 columns take about a second.
 */
function rowHashState(table: Table, seed: number): { a: Uint32Array; b: Uint32Array } {
  const n = table.numRows;
  const a = new Uint32Array(n).fill(mix32(seed ^ 0x9e3779b9));
  const b = new Uint32Array(n).fill(mix32(seed + 0x7f4a7c15));
  let col = 0;
  for (const field of table.schema.fields) {
    const v = table.getChild(field.name)!;
    const salt = mix32(++col * 0x85ebca6b);
    const ints = smallIntHashTable(v.data);
    let row = 0;
    for (const d of v.data) {
      mixColumnChunk(d, a, b, row, salt, (i) => String(v.get(i)), ints);
      row += d.length;
    }
  }
  return { a, b };
}

function mixColumnChunk(d: Data, a: Uint32Array, b: Uint32Array, row0: number, salt: number, slowString: (row: number) => string, ints?: IntHashTable): void {
  const t = d.type;
  const n = d.length;
  const hashes = new Uint32Array(n);
  if (DataType.isDictionary(t)) {
    const dict = d.dictionary!;
    const codes = d.values as Int32Array;
    const byCode = new Uint32Array(dict.length);
    for (let k = 0; k < dict.length; k++) byCode[k] = stringHash(String(dict.get(k)));
    for (let i = 0; i < n; i++) hashes[i] = byCode[codes[d.offset + i]];
  } else if (DataType.isUtf8(t)) {
    const offs = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    for (let i = 0; i < n; i++) hashes[i] = bytesHash(bytes, offs[d.offset + i], offs[d.offset + i + 1]);
  } else if (ints) {
    const vals = d.values as Int32Array;
    for (let i = 0; i < n; i++) hashes[i] = ints.hashes[vals[d.offset + i] - ints.min];
  } else if ((DataType.isInt(t) && t.bitWidth <= 32) || DataType.isFloat(t)) {
    const vals = d.values as ArrayLike<number>;
    for (let i = 0; i < n; i++) hashes[i] = numberHash(vals[d.offset + i]);
  } else if (DataType.isInt(t)) {
    const vals = d.values as BigInt64Array;
    for (let i = 0; i < n; i++) hashes[i] = numberHash(Number(vals[d.offset + i]));
  } else {
    for (let i = 0; i < n; i++) hashes[i] = stringHash(slowString(row0 + i));
  }
  const nulls = d.nullCount > 0 ? d.nullBitmap : undefined;
  for (let i = 0; i < n; i++) {
    const h = nulls && !isValid(nulls, d.offset + i) ? 0x6e756c6c : hashes[i];
    const r = row0 + i;
    a[r] = mix32(a[r] ^ Math.imul(h ^ salt, 0xcc9e2d51));
    b[r] = mix32(b[r] + Math.imul(h + salt, 0x1b873593));
  }
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Hash of a value read as a double, so 5 as int and 5.0 as float hash alike. */
function numberHash(x: number): number {
  f64[0] = x;
  return mix32(u32[0] ^ mix32(u32[1]));
}

interface IntHashTable {
  min: number;
  hashes: Uint32Array;
}

/**
 * For a 32-bit integer column whose values span a small range (user and item ids), the hash of every value in the
 * range, computed once: the rows then look their hash up instead of hashing.
 */
function smallIntHashTable(chunks: readonly Data[]): IntHashTable | undefined {
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (const d of chunks) {
    const t = d.type;
    if (!(DataType.isInt(t) && t.bitWidth <= 32 && t.isSigned)) return undefined;
    const vals = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) {
      const x = vals[d.offset + i];
      if (x < min) min = x;
      if (x > max) max = x;
    }
    n += d.length;
  }
  if (n === 0 || max - min + 1 > n / 4) return undefined;
  const hashes = new Uint32Array(max - min + 1);
  for (let x = min; x <= max; x++) hashes[x - min] = numberHash(x);
  return { min, hashes };
}

/** One uniform number in [0, 1) per row (53 bits from the two hash words). */
export function rowHashUniforms(table: Table, seed: number): Float64Array {
  const { a, b } = rowHashState(table, seed);
  const out = new Float64Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = uniform(a[i], b[i]);
  return out;
}

/**
 * The split side of every row in one pass over the hash state: side i when cum[i] <= x < cum[i+1] for the row's
 * uniform x, 255 when float rounding leaves x above the last boundary (Spark drops such a row from every split).
 */
export function rowHashSides(table: Table, seed: number, weights: readonly number[]): Uint8Array {
  const { a, b } = rowHashState(table, seed);
  const sum = weights.reduce((s, w) => s + w, 0);
  const cum = [0];
  for (const w of weights) cum.push(cum[cum.length - 1] + w / sum);
  const side = new Uint8Array(a.length);
  for (let r = 0; r < side.length; r++) {
    const x = uniform(a[r], b[r]);
    let s = 255;
    for (let i = 0; i < weights.length; i++) {
      if (cum[i] <= x && x < cum[i + 1]) {
        s = i;
        break;
      }
    }
    side[r] = s;
  }
  return side;
}

function uniform(a: number, b: number): number {
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

/** murmur3's 32-bit finaliser. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const utf8 = new TextEncoder();
/** Hash of a string's UTF-8 bytes, equal to bytesHash of the same text in a Utf8 column. */
function stringHash(s: string): number {
  const b = utf8.encode(s);
  return bytesHash(b, 0, b.length);
}

function bytesHash(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return mix32(h);
}
