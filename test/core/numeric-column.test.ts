import { Float32, Float64, Int8, Int32, Int64, Table, Uint32, vectorFromArray, type DataType, type Vector } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { float64Column } from "../../src/core/table.js";

/** A column in chunks cut at `cuts` (fractions of its length). */
function chunked(values: (number | bigint | null)[], type: DataType, cuts: number[]): Vector {
  const at = [...new Set(cuts.map((c) => Math.floor(c * values.length)))].sort((x, y) => x - y);
  const parts: Vector[] = [];
  let prev = 0;
  for (const end of [...at, values.length]) {
    if (end <= prev && parts.length) continue;
    parts.push(vectorFromArray(values.slice(prev, end) as never, type));
    prev = end;
  }
  return parts[0].concat(...parts.slice(1)) as Vector;
}

describe("float64Column", () => {
  it("reads every numeric type, chunking (sliced chunks too) and nulls as the values, NaN for null", () => {
    const cell = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 4 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            f32: cell(fc.float({ noNaN: true })),
            i32: cell(fc.integer()),
            u32: cell(fc.nat()),
            i8: cell(fc.integer({ min: -128, max: 127 })),
            i64: cell(fc.bigInt({ min: -(2n ** 50n), max: 2n ** 50n })),
            f64: fc.double({ noNaN: true }),
          }),
          { maxLength: 60 },
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
        (rows, cuts, otherCuts) => {
          const col = (k: keyof (typeof rows)[number], type: DataType) =>
            chunked(
              rows.map((r) => r[k]),
              type,
              cuts,
            );
          // f64 chunked elsewhere: the table re-slices the other columns to common batches, so chunks have offsets.
          const t = new Table({
            f32: col("f32", new Float32()),
            i32: col("i32", new Int32()),
            u32: col("u32", new Uint32()),
            i8: col("i8", new Int8()),
            i64: col("i64", new Int64()),
            f64: chunked(
              rows.map((r) => r.f64),
              new Float64(),
              otherCuts,
            ),
          });
          for (const name of ["f32", "i32", "u32", "i8", "i64", "f64"] as const) {
            const expected = rows.map((r) => (r[name] === null ? NaN : name === "f32" ? Math.fround(Number(r[name])) : Number(r[name])));
            expect([...float64Column(t, name)], name).toEqual(expected);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
