/**
 * reproduce says "same rows; the file bytes differ" when a re-run's Parquet file differs from the recorded one only
 * outside its rows: it decodes the two files then (the write phase hashes bytes only).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeVector, Table, tableToIPC } from "apache-arrow";
import * as parquetWasm from "parquet-wasm";
import { afterAll, describe, expect, it } from "vitest";
import { writeParquetBytes } from "../../src/io/parquet-codec.js";
import { parquetRowsEqual } from "../../src/runs/reproduce.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-rows-equal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const f = path.join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

const table = (ratings: number[]) => new Table({ user: makeVector(Int32Array.from([1, 2, 3])), rating: makeVector(Float32Array.from(ratings)) });

describe("parquetRowsEqual", () => {
  it("is true for the same rows written by another writer, uncompressed (different bytes)", () => {
    const a = writeParquetBytes(table([1, 2, 3]));
    const props = new parquetWasm.WriterPropertiesBuilder().setCompression(parquetWasm.Compression.UNCOMPRESSED).setCreatedBy("another writer").build();
    const b = parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table([1, 2, 3]), "stream")), props);
    expect(Buffer.from(a).equals(b)).toBe(false);
    return expect(parquetRowsEqual(file("a.parquet", a), file("b.parquet", b))).resolves.toBe(true);
  });

  it("is false when a value differs", () => {
    const a = file("c.parquet", writeParquetBytes(table([1, 2, 3])));
    const b = file("d.parquet", writeParquetBytes(table([1, 2, 4])));
    return expect(parquetRowsEqual(a, b)).resolves.toBe(false);
  });

  it("is false when a file is not Parquet", () => {
    const a = file("e.parquet", writeParquetBytes(table([1, 2, 3])));
    return expect(parquetRowsEqual(a, file("f.parquet", "not parquet"))).resolves.toBe(false);
  });
});
