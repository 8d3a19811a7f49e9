import { DataType, type Table } from "apache-arrow";
import { isValid } from "./table.js";

/**
 * One uniform number in [0, 1) per row, computed from the row's values and the seed alone: the same rows give the
 * same numbers whatever their order in the file, in O(rows x columns) with no sort. Identical rows draw the same
 * number (they land in the same split), which Spark's sort-then-draw randomSplit does not guarantee either way.
 */
export function rowHashUniforms(table: Table, seed: number): Float64Array {
  const n = table.numRows;
  const a = new Uint32Array(n).fill(mix32(seed ^ 0x9e3779b9));
  const b = new Uint32Array(n).fill(mix32(seed + 0x7f4a7c15));
  let col = 0;
  for (const field of table.schema.fields) {
    const v = table.getChild(field.name)!;
    const salt = mix32(++col * 0x85ebca6b);
    let row = 0;
    for (const d of v.data) {
      const t = d.type;
      const base = row;
      let value: (i: number) => number;
      if (DataType.isDictionary(t)) {
        const dict = d.dictionary!;
        const codes = d.values as Int32Array;
        const hashes = new Uint32Array(dict.length);
        for (let k = 0; k < dict.length; k++) hashes[k] = stringHash(String(dict.get(k)));
        value = (i) => hashes[codes[d.offset + i]];
      } else if (DataType.isUtf8(t)) {
        const offs = d.valueOffsets as Int32Array, bytes = d.values as Uint8Array;
        value = (i) => bytesHash(bytes, offs[d.offset + i], offs[d.offset + i + 1]);
      } else if (DataType.isFloat(t) || DataType.isInt(t)) {
        const vals = d.values as ArrayLike<number | bigint>;
        const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
        // Hash the value as a double so 5 (int) and 5.0 (float) are the same value.
        value = (i) => {
          f64[0] = Number(vals[d.offset + i]);
          return mix32(u32[0] ^ mix32(u32[1]));
        };
      } else {
        value = (i) => stringHash(String(v.get(base + i)));
      }
      for (let i = 0; i < d.length; i++, row++) {
        const h = d.nullCount > 0 && !isValid(d.nullBitmap, d.offset + i) ? 0x6e756c6c : value(i);
        a[row] = mix32(a[row] ^ Math.imul(h ^ salt, 0xcc9e2d51));
        b[row] = mix32(b[row] + Math.imul(h + salt, 0x1b873593));
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((a[i] >>> 5) * 67108864 + (b[i] >>> 6)) / 9007199254740992;
  return out;
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
