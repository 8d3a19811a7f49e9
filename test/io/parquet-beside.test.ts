/**
 * A large table encoded on a worker thread (a run's recommendations, beside its model's writing) is byte for byte what
 * writeParquetBytes gives on this thread, string columns dictionary-encoded alike; and a worker that cannot start
 * leaves the same bytes, encoded here.
 */
import { tableFromArrays, vectorFromArray, Utf8, Table } from "apache-arrow";
import { describe, expect, it, vi } from "vitest";

const starts = vi.hoisted(() => ({ count: 0, fail: false, encodedHere: 0 }));
// Counts the encodes on this thread (the worker imports the real module, unmocked): a worker that failed and fell
// back to this thread would show here.
vi.mock("../../src/io/parquet-codec.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/io/parquet-codec.js")>();
  return {
    ...real,
    writeParquetBytes: (...a: Parameters<typeof real.writeParquetBytes>) => {
      starts.encodedHere++;
      return real.writeParquetBytes(...a);
    },
  };
});
vi.mock("../../src/workers/start-worker.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/workers/start-worker.js")>();
  return {
    ...real,
    startWorkerBeside: (url: string, name: string) => {
      starts.count++;
      if (starts.fail) throw new Error("no threads here");
      return real.startWorkerBeside(url, name);
    },
  };
});

const { writeParquetBeside } = await import("../../src/io/parquet-beside.js");
const { readParquetBytes, writeParquetBytes } = await import("../../src/io/parquet-codec.js");

function recommendationsLike(rows: number): Table {
  const user = new Int32Array(rows);
  const item = new Int32Array(rows);
  const score = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    user[r] = Math.floor(r / 10);
    item[r] = (r * 7919) % 50021;
    score[r] = Math.fround(1 / (1 + (r % 10)) + (r % 13) * 1e-3);
  }
  const base = tableFromArrays({ user, item, score });
  const title = vectorFromArray(
    Array.from({ length: rows }, (_, r) => `title ${r % 977}`),
    new Utf8(),
  );
  return new Table({ ...Object.fromEntries(base.schema.fields.map((f, i) => [f.name, base.getChildAt(i)!])), title });
}

describe("writeParquetBeside", () => {
  it("a table above the threshold is encoded on a worker, to the same bytes as on this thread", async () => {
    const table = recommendationsLike(300_000);
    const before = starts.count;
    const hereBefore = starts.encodedHere;
    const beside = await writeParquetBeside(table);
    expect(starts.count).toBe(before + 1);
    expect(starts.encodedHere).toBe(hereBefore);
    const here = writeParquetBytes(table);
    expect(Buffer.from(beside).equals(Buffer.from(here))).toBe(true);
    const back = readParquetBytes(beside);
    expect(back.numRows).toBe(300_000);
    expect(back.getChild("title")!.get(1234)).toBe(`title ${1234 % 977}`);
  }, 60_000);

  it("a small table is encoded here, and a worker that cannot start falls back to this thread", async () => {
    const small = recommendationsLike(1000);
    const before = starts.count;
    expect(Buffer.from(await writeParquetBeside(small)).equals(Buffer.from(writeParquetBytes(small)))).toBe(true);
    expect(starts.count).toBe(before);
    starts.fail = true;
    try {
      const table = recommendationsLike(300_000);
      expect(Buffer.from(await writeParquetBeside(table)).equals(Buffer.from(writeParquetBytes(table)))).toBe(true);
      expect(starts.count).toBe(before + 1);
    } finally {
      starts.fail = false;
    }
  }, 60_000);
});
