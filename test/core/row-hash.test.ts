import { Bool, Dictionary, Float32, Float64, Int32, Int64, makeData, makeVector, Table, Utf8, vectorFromArray, type DataType, type Vector } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rowHashSides } from "../../src/core/row-hash.js";

/**
 * The readable twin: one pass per column over whole arrays of state, each value hashed by its text or its double's
 * bits, as the blocked implementation must give exactly.
 */
function referenceSides(table: Table, seed: number, weights: readonly number[]): Uint8Array {
  const n = table.numRows;
  const a = new Uint32Array(n).fill(mix32(seed ^ 0x9e3779b9));
  const b = new Uint32Array(n).fill(mix32(seed + 0x7f4a7c15));
  table.schema.fields.forEach((field, c) => {
    const v = table.getChild(field.name)!;
    const salt = mix32((c + 1) * 0x85ebca6b);
    for (let r = 0; r < n; r++) {
      const x = v.get(r);
      let h: number;
      if (x === null) h = 0x6e756c6c;
      else if (typeof x === "string" || typeof x === "boolean") h = bytesHash(new TextEncoder().encode(String(x)));
      else h = numberHash(Number(x));
      a[r] = mix32(a[r] ^ Math.imul(h ^ salt, 0xcc9e2d51));
      b[r] = mix32(b[r] + Math.imul(h + salt, 0x1b873593));
    }
  });
  const sum = weights.reduce((s, w) => s + w, 0);
  const cum = [0];
  for (const w of weights) cum.push(cum[cum.length - 1] + w / sum);
  return Uint8Array.from(a, (ai, r) => {
    const x = ((ai >>> 5) * 67108864 + (b[r] >>> 6)) / 9007199254740992;
    for (let k = 0; k < weights.length; k++) if (cum[k] <= x && x < cum[k + 1]) return k;
    return 255;
  });
}

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
function numberHash(x: number): number {
  // Stored with an element write: an array literal ([x]) would quiet a signalling NaN and change its bits.
  const f = new Float64Array(1);
  f[0] = x;
  const w = new Uint32Array(f.buffer);
  return mix32(w[0] ^ mix32(w[1]));
}
function bytesHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const x of bytes) h = Math.imul(h ^ x, 0x01000193);
  return mix32(h);
}

/** A NaN with any payload and sign: it must hash by its bits, as it did before the hash was blocked. */
const nanWithPayload = fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 0xfffff }), fc.nat()).map(([neg, hi, lo]) => {
  const w = new Uint32Array([lo >>> 0, (neg ? 0xfff00000 : 0x7ff00000) | hi]);
  return new Float64Array(w.buffer)[0];
});

/** A column cut into chunks at `cuts` (fractions of its length), so blocks and chunks end at different rows. */
function chunked(values: unknown[], make: (xs: unknown[]) => Vector, cuts: number[]): Vector {
  const at = [...new Set(cuts.map((c) => Math.floor(c * values.length)))].sort((x, y) => x - y);
  let v: Vector | undefined;
  let prev = 0;
  for (const end of [...at, values.length]) {
    if (end <= prev && v) continue;
    const part = make(values.slice(prev, end));
    v = v ? v.concat(part) : part;
    prev = end;
  }
  return v!;
}

/**
 * 240 rows, every column type a rating file has, each column in 3 chunks of 80 rows (as a Parquet file's row groups
 * arrive): ints, a dictionary, doubles with nulls, NaN and -0, floats, 64-bit ints, text with nulls and non-ASCII,
 * booleans.
 */
function goldenTable(): Table {
  const names = ["ana", "bo", "çe", "dé", "eve"];
  const column = <T>(value: (r: number) => T, type: DataType): Vector => {
    const chunks = [0, 1, 2].map((b) => vectorFromArray(Array.from({ length: 80 }, (_, i) => value(b * 80 + i)) as never, type));
    return chunks[0].concat(chunks[1], chunks[2]) as Vector;
  };
  return new Table({
    user: column((r) => (r * 7) % 31, new Int32()),
    item: column((r) => `i${(r * 13) % 17}`, new Dictionary(new Utf8(), new Int32())),
    rating: column((r) => (r % 23 === 0 ? null : r % 19 === 0 ? NaN : r % 29 === 0 ? -0 : 0.5 * (r % 10)), new Float64()),
    weight: column((r) => r / 8, new Float32()),
    ts: column((r) => BigInt(1_600_000_000_000 + r * 977), new Int64()),
    name: column((r) => (r % 11 === 0 ? null : names[r % 5]), new Utf8()),
    seen: column((r) => r % 3 === 0, new Bool()),
  });
}

describe("row hash sides", () => {
  it("give the split recorded before the hash was blocked (run directories made then reproduce)", () => {
    // Sides printed by the per-column implementation this one replaced, on the same table.
    const before42 =
      "000101000001000000000000010000100000000000001100001001000101000000000010010100000000000001001000001001000001100000110010000000000000010001000000100010000000001100100000000010100001000100101000000000000000000000000000000010000010010000001000";
    const before7 =
      "011001100020100202100110200001000010022002101100011012110112001102000000211101001010100101120002000001200010221002102012002011112222100212222210020102101111100221120100112120100210100200000012002000000022220122010000200000100000211000001011";
    const t = goldenTable();
    for (const block of [1, 64, 4096]) {
      expect(Array.from(rowHashSides(t, 42, [0.8, 0.2], block)).join("")).toBe(before42);
      expect(Array.from(rowHashSides(t, 7, [0.5, 0.3, 0.2], block)).join("")).toBe(before7);
    }
  });

  it("equal the per-column reference for every column type, chunking, nulls and block size", () => {
    const row = fc.record({
      id: fc.integer({ min: 0, max: 10 }), // a range under a quarter of the rows takes the per-value table
      wide: fc.option(fc.integer(), { nil: null, freq: 6 }),
      f64: fc.option(fc.oneof(fc.double(), nanWithPayload), { nil: null, freq: 6 }),
      f32: fc.float({ noNaN: true }),
      s: fc.option(fc.constantFrom("a", "bb", "ü", ""), { nil: null, freq: 5 }),
      big: fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
      flag: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 150 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer(),
        fc.constantFrom([0.8, 0.2], [0.7, 0.2, 0.1], [1, 0], [0, 3], [0.1, 0.2, 0.3, 0.4]),
        (rows, cuts, otherCuts, block, seed, weights) => {
          // Columns chunked at different rows: the Table re-slices them into common batches, so chunks have offsets.
          const col = <T>(k: keyof (typeof rows)[number], make: (xs: T[]) => Vector, at = cuts) =>
            chunked(
              rows.map((r) => r[k]),
              make as (xs: unknown[]) => Vector,
              at,
            );
          const t = new Table({
            id: col("id", (xs: number[]) => vectorFromArray(xs, new Int32())),
            wide: col("wide", (xs: (number | null)[]) => vectorFromArray(xs, new Int32())),
            f64: col("f64", (xs: (number | null)[]) => vectorFromArray(xs, new Float64()), otherCuts),
            f32: col("f32", (xs: number[]) => vectorFromArray(xs, new Float32())),
            s: col("s", (xs: (string | null)[]) => vectorFromArray(xs, new Utf8()), otherCuts),
            d: col("s", (xs: (string | null)[]) => vectorFromArray(xs, new Dictionary(new Utf8(), new Int32()))),
            big: col("big", (xs: bigint[]) => vectorFromArray(xs, new Int64()), otherCuts),
            flag: col("flag", (xs: boolean[]) => vectorFromArray(xs, new Bool())),
          });
          expect(Array.from(rowHashSides(t, seed, weights, block))).toEqual(Array.from(referenceSides(t, seed, weights)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("hash a dictionary entry by its text, whether ASCII, other UTF-8 or bytes that are not UTF-8", () => {
    // Entries "id7", "ü" and the single byte 0xff (read back as U+FFFD): the last two take the text path.
    const entries = [[0x69, 0x64, 0x37], [0xc3, 0xbc], [0xff]];
    const valueOffsets = Int32Array.from([0, 3, 5, 6]);
    const dictionary = makeVector(makeData({ type: new Utf8(), length: 3, nullCount: 0, valueOffsets, data: Uint8Array.from(entries.flat()) }));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 60 }), fc.integer(), (codes, seed) => {
        const ids = makeVector(
          makeData({ type: new Dictionary(new Utf8(), new Int32()), length: codes.length, nullCount: 0, data: Int32Array.from(codes), dictionary }),
        );
        const t = new Table({ ids });
        expect(Array.from(rowHashSides(t, seed, [0.5, 0.5], 7))).toEqual(Array.from(referenceSides(t, seed, [0.5, 0.5])));
      }),
      { numRuns: 100 },
    );
  });
});
