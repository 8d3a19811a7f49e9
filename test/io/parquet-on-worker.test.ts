/**
 * Parquet encoded on a worker thread is byte for byte what this thread encodes, for the tables a run directory holds
 * (factor vectors, strings, nulls), and a model saved from worker-encoded tables is the same tree of bytes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Float64, Table, Utf8, tableFromArrays, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import type { SavedStage } from "../../src/core/saved-stage.js";
import { listFilesRecursive } from "../../src/io/atomic-dir.js";
import { saveModel, savedTables } from "../../src/io/model-store.js";
import { parquetBytesOnWorker } from "../../src/io/parquet-on-worker.js";
import { writeParquetBytes } from "../../src/io/parquet-codec.js";
import { alsFactorTable } from "./als-factors.js";
import { tempDir } from "./fixtures.js";

const { dir } = tempDir();

const factors = alsFactorTable(
  Array.from({ length: 3000 }, (_, i) => i * 3),
  16,
  11,
);
const strings = new Table({
  title: vectorFromArray(["a", "b", null, "a", "ünï"], new Utf8()),
  score: vectorFromArray([1.5, null, 3, -0, NaN], new Float64()),
});

describe("parquet on a worker", () => {
  it.each([
    ["factor vectors (id, list<float>)", factors],
    ["strings and nulls", strings],
    ["an empty table", tableFromArrays({ id: new Int32Array(0) })],
  ])("%s: the same bytes as this thread writes", async (_name, table) => {
    const here = writeParquetBytes(table);
    const there = await parquetBytesOnWorker(table);
    expect(there.length).toBe(here.length);
    expect(Buffer.from(there).equals(Buffer.from(here))).toBe(true);
  });

  it("a model saved from worker-encoded tables is the same files, byte for byte", async () => {
    const child: SavedStage = {
      className: "org.apache.spark.ml.recommendation.ALSModel",
      uid: "als_0123456789ab",
      timestamp: 1718000000000,
      paramMap: { userCol: "u", itemCol: "i" },
      tables: { userFactors: factors, itemFactors: alsFactorTable([0, 1, 2], 16, 5) },
    };
    const saved: SavedStage = {
      className: "org.apache.spark.ml.PipelineModel",
      uid: "pipeline_bbbbbbbbbbbb",
      timestamp: 1718000000000,
      paramMap: { stageUids: [child.uid] },
      children: [{ path: "stages/0_als_0123456789ab", stage: child }],
    };
    const tables = savedTables(saved);
    expect(tables.length).toBe(2);
    expect(tables[0]).toBe(child.tables!.userFactors);
    expect(tables[1]).toBe(child.tables!.itemFactors);
    const plain = path.join(dir, "plain");
    const viaWorker = path.join(dir, "worker");
    await saveModel(plain, saved);
    await saveModel(viaWorker, saved, { encoded: new Map([[factors, parquetBytesOnWorker(factors)]]) });
    const files = await listFilesRecursive(plain);
    expect(await listFilesRecursive(viaWorker)).toEqual(files);
    expect(files.some((f) => f.includes("userFactors") && f.endsWith(".parquet"))).toBe(true);
    for (const f of files) expect(readFileSync(path.join(viaWorker, f)).equals(readFileSync(path.join(plain, f))), f).toBe(true);
  });
});
