import { readFileSync } from "node:fs";
import path from "node:path";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import * as parquetWasm from "parquet-wasm";
import { describe, expect, it } from "vitest";
import { readTable } from "../../src/io/read-table.js";
import { readParquetBytes, writeParquetBytes, writeTable } from "../../src/io/write-table.js";
import { alsFactorTable } from "./als-factors.js";
import { columnValues, tempDir } from "./fixtures.js";

const { dir, file } = tempDir();

describe("parquet", () => {
  it("round-trips Spark's ALS factor schema keeping int32 ids and float32 features, deterministically", () => {
    const t = alsFactorTable([3, 1, 2], 4);
    const bytes = writeParquetBytes(t);
    expect(Buffer.from(writeParquetBytes(alsFactorTable([3, 1, 2], 4))).equals(Buffer.from(bytes))).toBe(true);
    const back = readParquetBytes(bytes);
    const [id, features] = back.schema.fields;
    expect([id.name, String(id.type), id.nullable]).toEqual(["id", "Int32", false]);
    expect(String(features.type)).toBe("List<Float32>");
    const element = features.type.children[0];
    expect([element.name, element.nullable]).toEqual(["element", false]);
    expect(columnValues(back, "id")).toEqual([3, 1, 2]);
    const orig = t.getChild("features")!.get(1)!.toArray();
    expect(Array.from(back.getChild("features")!.get(1)!.toArray())).toEqual(Array.from(orig));
    // Standard 3-level list layout (list/element group names) is what Spark's reader expects.
    const text = Buffer.from(bytes).toString("latin1");
    expect(text.includes("list") && text.includes("element")).toBe(true);
    expect(text.startsWith("PAR1") && text.endsWith("PAR1")).toBe(true);
  });

  it("round-trips a CSV-read table with dictionary strings through parquet, arrow, csv and jsonl files", async () => {
    const src = await readTable(file("in.csv", 'user,item,rating\nu1,i1,4.5\n"u,2",i1,\nu1,i2,1\n'));
    for (const ext of ["parquet", "arrow", "csv", "jsonl"]) {
      const out = path.join(dir, `out.${ext}`);
      await writeTable(src, out);
      const back = await readTable(out);
      expect(columnValues(back, "user")).toEqual(["u1", "u,2", "u1"]);
      expect(columnValues(back, "rating")).toEqual([4.5, null, 1]);
    }
  });

  it("reads a Spark-style folder of part files in name order, ignoring _SUCCESS, .crc and hidden files", async () => {
    const part = (ids: number[]) => writeParquetBytes(tableFromArrays({ id: Int32Array.from(ids) }));
    const folder = path.join(dir, "folder");
    (await import("node:fs")).mkdirSync(folder);
    file("folder/part-00001-x.snappy.parquet", part([3, 4]));
    file("folder/part-00000-x.snappy.parquet", part([1, 2]));
    file("folder/_SUCCESS", "");
    file("folder/.part-00000-x.snappy.parquet.crc", "junk");
    file("folder/.hidden.parquet", "junk");
    const t = await readTable(folder);
    expect(columnValues(t, "id")).toEqual([1, 2, 3, 4]);
  });

  it("reads a file as one record batch per row group, not parquet-rs's 1024-row batches", async () => {
    // Thousands of small batches made every later whole-column step pay per chunk (a Table built from such
    // columns took seconds at 5M rows); a row group is the reader's unit, so it is the batch.
    const ids = Int32Array.from({ length: 5000 }, (_, i) => i * 3);
    const props = new parquetWasm.WriterPropertiesBuilder().setMaxRowGroupSize(2000).build();
    const bytes = parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(tableFromArrays({ id: ids }), "stream")), props);
    const t = await readTable(file("groups.parquet", bytes));
    expect(t.batches.map((b) => b.numRows)).toEqual([2000, 2000, 1000]);
    expect(Int32Array.from(t.getChild("id")!.toArray())).toEqual(ids);
    const empty = await readTable(file("empty.parquet", writeParquetBytes(tableFromArrays({ id: new Int32Array(0) }))));
    expect([empty.numRows, empty.schema.fields.map((f) => f.name)]).toEqual([0, ["id"]]);
  });

  it("names the file when a parquet file is unreadable", async () => {
    const p = file("bad.parquet", "not parquet at all");
    await expect(readTable(p)).rejects.toThrow(/bad\.parquet: not a readable Parquet file/);
  });

  it("reads both Arrow IPC file and stream formats and selects columns", async () => {
    const t = tableFromArrays({ a: Int32Array.from([1, 2]), b: Float64Array.from([0.5, 1.5]) });
    const { tableToIPC } = await import("apache-arrow");
    for (const kind of ["file", "stream"] as const) {
      const p = file(`t-${kind}.arrow`, tableToIPC(t, kind));
      const back = await readTable(p, { columns: ["b"] });
      expect(back.schema.fields.map((f) => f.name)).toEqual(["b"]);
      expect(columnValues(back, "b")).toEqual([0.5, 1.5]);
    }
    expect(readFileSync(path.join(dir, "t-file.arrow")).subarray(0, 6).toString()).toBe("ARROW1");
  });
});

describe("jsonl", () => {
  it("types columns like CSV and names the line of a bad row", async () => {
    const t = await readTable(file("r.jsonl", '{"user":"a","item":1,"rating":4.5}\n{"user":"b","item":2}\n\n'));
    expect(String(t.schema.fields.map((f) => String(f.type)))).toBe("Dictionary<Int32, Utf8>,Int32,Float64");
    expect(columnValues(t, "rating")).toEqual([4.5, null]);
    await expect(readTable(file("bad.jsonl", '{"a":1}\n{"a":\n'))).rejects.toThrow(/bad\.jsonl:2: not valid JSON/);
    await expect(readTable(file("typed.jsonl", '{"r":1}\n\n{"r":"x"}\n'), { types: { r: "float64" } })).rejects.toThrow(
      /typed\.jsonl:3 column r: expected a number \(declared float64\), found "x"/,
    );
  });
});
