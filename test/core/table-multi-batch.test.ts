/**
 * Tables that arrive in several Arrow record batches (an Arrow IPC stream, a Parquet file with several row groups, a
 * Spark Connect result) must behave exactly like the same rows in one batch: columns a stage adds line up with the
 * rows, and list columns (ALS factors) survive takeRows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Field, Float32, List, makeVector, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from "apache-arrow";
import * as parquetWasm from "parquet-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { float64Column, takeRows, withColumns } from "../../src/core/table.js";
import { runCli } from "../cli/run-cli.js";

/** `n` rows of string ids and ratings, as a table of `batches` record batches (through IPC, as a reader gets them). */
function ratings(n: number, batches: number): Table {
  const parts: Table[] = [];
  const per = Math.ceil(n / batches);
  for (let start = 0; start < n; start += per) {
    const rows = Array.from({ length: Math.min(per, n - start) }, (_, j) => start + j);
    parts.push(
      new Table({
        user: vectorFromArray(
          rows.map((r) => `u${r % 97}`),
          new Utf8(),
        ),
        item: vectorFromArray(
          rows.map((r) => `i${(r * 7) % 61}`),
          new Utf8(),
        ),
        rating: makeVector(Float64Array.from(rows, (r) => 1 + ((r * 13) % 5))),
      }),
    );
  }
  return tableFromIPC(tableToIPC(new Table(parts.flatMap((p) => p.batches)), "stream"));
}

describe("a table in several record batches", () => {
  it("withColumns: a column added in one piece lines up with every batch's rows", () => {
    const t = ratings(1000, 3);
    expect(t.batches.length).toBe(3);
    const w = withColumns(t, { rowNo: makeVector(Float64Array.from({ length: 1000 }, (_, i) => i)) });
    expect([...float64Column(w, "rowNo")]).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...float64Column(w, "rating")]).toEqual([...float64Column(t, "rating")]);
    expect(w.getChild("user")!.get(999)).toBe(`u${999 % 97}`);
  });

  it("takeRows keeps list columns (factor vectors), nulls included", () => {
    const features = vectorFromArray([[1, 2], [3, 4], null, [7, 8]], new List(new Field("element", new Float32(), true)));
    const t = new Table({ id: makeVector(new Int32Array([10, 11, 12, 13])), features });
    const r = takeRows(t.concat(t), new Int32Array([7, 1, 2, 4]));
    expect([...r.getChild("id")!]).toEqual([13, 11, 12, 10]);
    expect([...r.getChild("features")!].map((v) => (v === null ? null : [...(v as Iterable<number>)]))).toEqual([[7, 8], [3, 4], null, [1, 2]]);
  });
});

describe("recpipe predict on multi-batch inputs (string-indexer + ALS model)", () => {
  let dir: string;
  let model: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-multi-batch-"));
    const one = ratings(3000, 1);
    writeFileSync(path.join(dir, "ratings.arrows"), tableToIPC(one, "stream"));
    writeFileSync(path.join(dir, "several.arrows"), tableToIPC(ratings(3000, 4), "stream"));
    const props = new parquetWasm.WriterPropertiesBuilder().setMaxRowGroupSize(700).build();
    writeFileSync(path.join(dir, "several.parquet"), parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(one, "stream")), props));
    writeFileSync(
      path.join(dir, "fit.yaml"),
      `name: fit
seed: 1
source: {path: ratings.arrows}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [userIndex, itemIndex], handleInvalid: keep}
  - {type: als, userCol: userIndex, itemCol: itemIndex, ratingCol: rating, rank: 3, maxIter: 3, coldStartStrategy: nan}
output: {dir: runs}
`,
    );
    const r = runCli(["run", path.join(dir, "fit.yaml"), "--quiet", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    model = path.join(JSON.parse(r.stdout).runDir, "model");
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const predict = (input: string) => {
    const out = path.join(dir, `${input}.predicted.arrow`);
    const r = runCli(["predict", "--model", model, "--input", path.join(dir, input), "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    return tableFromIPC(readFileSync(out));
  };

  it("an Arrow stream of 4 batches and a Parquet file of 5 row groups predict what the one-batch file predicts", () => {
    const want = predict("ratings.arrows");
    expect(want.numRows).toBe(3000);
    const wantPred = [...float64Column(want, "prediction")];
    expect(wantPred.every(Number.isFinite)).toBe(true);
    for (const input of ["several.arrows", "several.parquet"]) {
      const got = predict(input);
      expect([...float64Column(got, "userIndex")], input).toEqual([...float64Column(want, "userIndex")]);
      expect([...float64Column(got, "prediction")], input).toEqual(wantPred);
    }
  });
});
