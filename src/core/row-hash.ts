import { DataType, type Data, type Table, type Vector } from "apache-arrow";
import { isValid } from "./table.js";

/**
 * Rows per block of the hash: a block's state (two words a row) and one column's value hashes (48 KB) stay in cache
 * while every column is mixed in, instead of one pass over 8 bytes a row of state in memory per column.
 */
const HASH_BLOCK_ROWS = 4096;

/**
 * The split side of every row from its values and the seed alone: the same rows give the same sides whatever their
 * order in the file, in O(rows x columns) with no sort, and identical rows land on the same side. Each row's two
 * 32-bit words are mixed with each column's value hash in turn; their 53 bits give a uniform x, and the side is i when
 * cum[i] <= x < cum[i+1] (255 when float rounding leaves x above the last boundary: Spark drops such a row from every
 * split). Rows are processed in blocks, every column by a loop specialised to its type; `blockRows` is a parameter
 * for tests, which vary it (the sides must not depend on it).
 */
export function rowHashSides(table: Table, seed: number, weights: readonly number[], blockRows = HASH_BLOCK_ROWS): Uint8Array {
  const n = table.numRows;
  const sum = weights.reduce((s, w) => s + w, 0);
  const cum = [0];
  for (const w of weights) cum.push(cum[cum.length - 1] + w / sum);
  // The boundaries times 2^53 (exact: a power of two), for the rows' 53-bit integers.
  const lim = Float64Array.from(cum, (c) => c * 9007199254740992);
  const two = weights.length === 2;
  const lim1 = lim[1];
  const lim2 = lim[2];
  const columns = table.schema.fields.map((field, c) => columnHasher(table.getChild(field.name)!, mix32((c + 1) * 0x85ebca6b) | 0));
  // Hash words are held as int32 (the same bits as uint32): V8 then keeps every step in 32-bit registers, where a
  // uint32 above 2^31 would become a double at each `>>> 0`.
  const a0 = mix32(seed ^ 0x9e3779b9) | 0;
  const b0 = mix32(seed + 0x7f4a7c15) | 0;
  const a = new Int32Array(blockRows);
  const b = new Int32Array(blockRows);
  const h = new Int32Array(blockRows);
  const side = new Uint8Array(n);
  for (let start = 0; start < n; start += blockRows) {
    const len = Math.min(blockRows, n - start);
    a.fill(a0, 0, len);
    b.fill(b0, 0, len);
    for (const col of columns) col.mixInto(start, len, h, a, b);
    for (let i = 0; i < len; i++) {
      // x * 2^53, an integer below 2^53: compared with limits scaled alike, every comparison is exact and the same.
      const m = (a[i] >>> 5) * 67108864 + (b[i] >>> 6);
      if (two) side[start + i] = m < lim1 ? 0 : m < lim2 ? 1 : 255;
      else {
        let s = 255;
        for (let k = 0; k < weights.length; k++) {
          if (lim[k] <= m && m < lim[k + 1]) {
            s = k;
            break;
          }
        }
        side[start + i] = s;
      }
    }
  }
  return side;
}

interface ColumnHasher {
  /** Mixes the hashes of rows [start, start+len) into a[0..len), b[0..len); rows arrive in ascending blocks. */
  mixInto(start: number, len: number, h: Int32Array, a: Int32Array, b: Int32Array): void;
}

/** Hash of a null, whatever the column's type. */
const NULL_HASH = 0x6e756c6c;

function columnHasher(v: Vector, salt: number): ColumnHasher {
  const chunks = v.data;
  const ints = smallIntHashTable(chunks);
  // Chunks of one column usually share one dictionary (every reader's batches do): hash its entries once.
  const byDictionary = new Map<unknown, Int32Array>();
  const byCode = chunks.map((d) => {
    if (!DataType.isDictionary(d.type)) return undefined;
    let hashes = byDictionary.get(d.dictionary);
    if (!hashes) byDictionary.set(d.dictionary, (hashes = dictionaryHashes(d)));
    return hashes;
  });
  let chunk = 0;
  let chunkStart = 0;
  return {
    mixInto(start, len, h, a, b) {
      let filled = 0;
      while (filled < len) {
        while (start + filled >= chunkStart + chunks[chunk].length) chunkStart += chunks[chunk++].length;
        const d = chunks[chunk];
        const from = start + filled - chunkStart;
        const count = Math.min(len - filled, d.length - from);
        hashRows(d, from, count, h, filled, ints, byCode[chunk], v, chunkStart);
        if (d.nullCount > 0) {
          const nulls = d.nullBitmap;
          for (let i = 0; i < count; i++) if (!isValid(nulls, d.offset + from + i)) h[filled + i] = NULL_HASH;
        }
        filled += count;
      }
      // a = mix32(a ^ (x ^ salt) * c1), b = mix32(b + (x + salt) * c2), all modulo 2^32.
      for (let i = 0; i < len; i++) {
        const x = h[i];
        a[i] = mix32i(a[i] ^ Math.imul(x ^ salt, 0xcc9e2d51));
        b[i] = mix32i((b[i] + Math.imul((x + salt) | 0, 0x1b873593)) | 0);
      }
    },
  };
}

/**
 * Hashes of rows [from, from+count) of one chunk into h[at..]. A sliced chunk's values start at its first row; only
 * null bitmaps (handled by the caller) are addressed from d.offset.
 */
function hashRows(
  d: Data,
  from: number,
  count: number,
  h: Int32Array,
  at: number,
  ints: IntHashTable | undefined,
  byCode: Int32Array | undefined,
  v: Vector,
  chunkStart: number,
): void {
  const t = d.type;
  if (byCode) {
    const codes = d.values as Int32Array;
    for (let i = 0; i < count; i++) h[at + i] = byCode[codes[from + i]];
  } else if (DataType.isUtf8(t)) {
    const offs = d.valueOffsets as Int32Array;
    const bytes = d.values as Uint8Array;
    for (let i = 0; i < count; i++) h[at + i] = bytesHash(bytes, offs[from + i], offs[from + i + 1]);
  } else if (ints) {
    const vals = d.values as Int32Array;
    const table = ints.hashes;
    const min = ints.min;
    for (let i = 0; i < count; i++) h[at + i] = table[vals[from + i] - min];
  } else if (DataType.isFloat(t) && t.precision === 2) {
    // numberHash of the double, from its two words read in place. NaNs hash by their bits, as numberHash does (V8
    // keeps a NaN's payload through a Float64Array), so a NaN's row keeps the side it had before this loop existed.
    const vals = d.values as Float64Array;
    const words = new Int32Array(vals.buffer, vals.byteOffset, vals.length * 2);
    for (let i = 0; i < count; i++) h[at + i] = mix32i(words[2 * (from + i)] ^ mix32i(words[2 * (from + i) + 1]));
  } else if (DataType.isInt(t) && t.bitWidth <= 32) {
    // Integers (timestamps, ids over a wide range) as doubles, converted by a typed-array copy (exact for every
    // 32-bit integer), then hashed from the double's words like any double.
    const vals = d.values as Int32Array;
    const words = asDoubleWords(count);
    scratchDoubles.set(vals.subarray(from, from + count));
    for (let i = 0; i < count; i++) h[at + i] = mix32i(words[2 * i] ^ mix32i(words[2 * i + 1]));
  } else if (DataType.isFloat(t)) {
    // Float32; half floats by their stored 16-bit word.
    const vals = d.values as ArrayLike<number>;
    for (let i = 0; i < count; i++) h[at + i] = numberHash(vals[from + i]);
  } else if (DataType.isInt(t)) {
    const vals = d.values as BigInt64Array;
    for (let i = 0; i < count; i++) h[at + i] = numberHash(Number(vals[from + i]));
  } else {
    // Booleans, decimals, dates...: hash the value's text (rare in rating files).
    for (let i = 0; i < count; i++) h[at + i] = stringHash(String(v.get(chunkStart + from + i)));
  }
}

/**
 * A dictionary column's value hashes, one per dictionary entry: the hash of the entry's text, String(value) encoded
 * as UTF-8. An ASCII entry of a Utf8 dictionary is hashed from its bytes in place (decoding and re-encoding gives the
 * same bytes); other entries (non-ASCII bytes, which invalid UTF-8 would not survive unchanged, nulls, non-string
 * dictionaries) go through the text.
 */
function dictionaryHashes(d: Data): Int32Array {
  const dict = d.dictionary!;
  const out = new Int32Array(dict.length);
  let k0 = 0;
  for (const part of dict.data) {
    const ascii = DataType.isUtf8(part.type) && part.nullCount === 0;
    const offs = part.valueOffsets as Int32Array;
    const bytes = part.values as Uint8Array;
    for (let k = 0; k < part.length; k++) {
      let plain = ascii;
      if (plain) for (let i = offs[k]; i < offs[k + 1] && plain; i++) plain = bytes[i] < 0x80;
      out[k0 + k] = plain ? bytesHash(bytes, offs[k], offs[k + 1]) : stringHash(String(dict.get(k0 + k)));
    }
    k0 += part.length;
  }
  return out;
}

let scratchDoubles = new Float64Array(0);
let scratchWords = new Int32Array(0);
/** The words of a scratch Float64Array of at least n doubles (scratchDoubles), grown when needed. */
function asDoubleWords(n: number): Int32Array {
  if (scratchDoubles.length < n) {
    scratchDoubles = new Float64Array(n);
    scratchWords = new Int32Array(scratchDoubles.buffer);
  }
  return scratchWords;
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
  hashes: Int32Array;
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
    if (!(DataType.isInt(t) && t.bitWidth === 32 && t.isSigned)) return undefined;
    const vals = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) {
      const x = vals[i];
      if (x < min) min = x;
      if (x > max) max = x;
    }
    n += d.length;
  }
  if (n === 0 || max - min + 1 > n / 4) return undefined;
  const hashes = new Int32Array(max - min + 1);
  for (let x = min; x <= max; x++) hashes[x - min] = numberHash(x);
  return { min, hashes };
}

/** murmur3's 32-bit finaliser. */
function mix32(h: number): number {
  return mix32i(h) >>> 0;
}

/** mix32 with the result as int32 (the same 32 bits), for loops that keep hash words in Int32Arrays. */
function mix32i(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
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
