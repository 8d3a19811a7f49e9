/**
 * Broken model directories given to the built CLI (`recpipe predict` / `recommend`): each must exit 2 with a message
 * that names the offending path and says what is wrong, never a stack trace or exit 1.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Field, Float32, Float64, Int32, Int64, List, makeData, RecordBatch, Schema, Struct, Table } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SavedStage } from "../../src/core/saved-stage.js";
import { saveModel } from "../../src/io/model-store.js";
import { alsFactorTable } from "../io/als-factors.js";
import { runCli } from "./run-cli.js";

const RANK = 3;
let dir: string;
let good: string;
let pairsCsv: string;

function alsSaved(tables: SavedStage["tables"], rank = RANK): SavedStage {
  return {
    className: "org.apache.spark.ml.recommendation.ALSModel",
    uid: "als_badbadbadbad",
    sparkVersion: "3.5.0",
    timestamp: 1,
    paramMap: { userCol: "user", itemCol: "item", coldStartStrategy: "nan", blockSize: 4096 },
    defaultParamMap: { predictionCol: "prediction" },
    extra: { rank },
    tables,
  };
}

/** A factor table with the given Arrow types for id and the feature elements (Spark needs int32 / float32). */
function factorTableOfTypes(ids: number[], idType: Int32 | Int64, featType: Float32 | Float64): Table {
  const n = ids.length;
  const listType = new List(new Field("element", featType, false));
  const idValues = idType instanceof Int64 ? BigInt64Array.from(ids.map(BigInt)) : Int32Array.from(ids);
  const featValues = featType instanceof Float64 ? new Float64Array(n * RANK).fill(0.5) : new Float32Array(n * RANK).fill(0.5);
  const idData = makeData({ type: idType, length: n, data: idValues } as never);
  const featData = makeData({
    type: listType,
    length: n,
    valueOffsets: Int32Array.from({ length: n + 1 }, (_, i) => i * RANK),
    child: makeData({ type: featType, length: n * RANK, data: featValues } as never),
  } as never);
  const fields = [new Field("id", idType, false), new Field("features", listType, true)];
  return new Table([new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, children: [idData, featData] }))]);
}

/**
 * A copy of the good model, changed by `edit`, under a new name, as a hand-edited directory would be: without the
 * `.crc` checksum files (which would otherwise refuse the edit before the parsers these cases test see it; see
 * damaged-model.test.ts for that).
 */
function brokenCopy(name: string, edit: (d: string) => void): string {
  const d = path.join(dir, name);
  cpSync(good, d, { recursive: true });
  for (const f of readdirSync(d, { recursive: true }) as string[]) if (path.basename(f).endsWith(".crc")) rmSync(path.join(d, f));
  edit(d);
  return d;
}

function predict(model: string): ReturnType<typeof runCli> {
  return runCli(["predict", "--model", model, "--input", pairsCsv]);
}

function expectExit2(r: ReturnType<typeof runCli>, ...fragments: string[]): void {
  expect(r.code, r.stderr).toBe(2);
  for (const f of fragments) expect(r.stderr).toContain(f);
  expect(r.stderr).not.toContain("internal error");
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-bad-models-"));
  good = path.join(dir, "good");
  await saveModel(good, alsSaved({ userFactors: alsFactorTable([1, 2, 3], RANK, 1), itemFactors: alsFactorTable([10, 20], RANK, 2) }));
  pairsCsv = path.join(dir, "pairs.csv");
  writeFileSync(pairsCsv, "user,item\n1,10\n3,20\n");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("bad model directories exit 2 with a message naming the path", () => {
  it("the untouched model predicts (exit 0), so every failure below comes from its one defect", () => {
    const r = predict(good);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(3);
  });

  it("missing metadata/", () => {
    const d = brokenCopy("no-metadata", (d) => rmSync(path.join(d, "metadata"), { recursive: true }));
    expectExit2(predict(d), d, "no metadata/ folder");
  });

  it("metadata that is not JSON", () => {
    const d = brokenCopy("not-json", (d) => writeFileSync(path.join(d, "metadata", "part-00000"), "{class: ALSModel\n"));
    expectExit2(predict(d), path.join(d, "metadata", "part-00000"), "metadata is not JSON");
  });

  it('metadata without "class"', () => {
    const d = brokenCopy("no-class", (d) => {
      const f = path.join(d, "metadata", "part-00000");
      const m = JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>;
      delete m.class;
      writeFileSync(f, JSON.stringify(m) + "\n");
    });
    expectExit2(predict(d), path.join(d, "metadata", "part-00000"), 'no "class"');
  });

  it("rank in metadata disagreeing with the factor length", () => {
    const d = brokenCopy("wrong-rank", (d) => {
      const f = path.join(d, "metadata", "part-00000");
      writeFileSync(f, readFileSync(f, "utf8").replace(`"rank":${RANK}`, `"rank":${RANK + 2}`));
    });
    expectExit2(predict(d), path.join(d, "userFactors"), `rank is ${RANK + 2} in the metadata but row 0 has ${RANK} features`);
  });

  it("factor file with int64 ids", async () => {
    const d = path.join(dir, "int64-ids");
    await saveModel(d, alsSaved({ userFactors: factorTableOfTypes([1, 2], new Int64(), new Float32()), itemFactors: alsFactorTable([10], RANK) }));
    expectExit2(predict(d), path.join(d, "userFactors"), "column id must be int32", "Int64");
  });

  it("factor file with float64 features", async () => {
    const d = path.join(dir, "float64-features");
    await saveModel(d, alsSaved({ userFactors: alsFactorTable([1, 2], RANK), itemFactors: factorTableOfTypes([10], new Int32(), new Float64()) }));
    expectExit2(predict(d), path.join(d, "itemFactors"), "features must be list<float32>", "Float64");
  });

  it("a symbolic link inside the model directory", () => {
    const d = brokenCopy("symlink-inside", (d) => {
      const part = readdirSync(path.join(d, "userFactors")).find((f) => f.endsWith(".parquet"))!;
      rmSync(path.join(d, "userFactors", part));
      symlinkSync(path.join(good, "userFactors", part), path.join(d, "userFactors", part));
    });
    expectExit2(predict(d), path.join(d, "userFactors"), "symbolic link");
  });

  it("a folder that points outside the model directory", () => {
    const outside = path.join(dir, "elsewhere-itemFactors");
    cpSync(path.join(good, "itemFactors"), outside, { recursive: true });
    const d = brokenCopy("link-outside", (d) => {
      rmSync(path.join(d, "itemFactors"), { recursive: true });
      symlinkSync(outside, path.join(d, "itemFactors"));
    });
    expectExit2(predict(d), path.join(d, "itemFactors"), "symbolic link");
  });

  it("a model path that does not exist", () => {
    const d = path.join(dir, "nothing-here");
    expectExit2(predict(d), d, "model directory not found");
  });

  it("--user the model does not know: exit 2, and the message explains cold start", () => {
    const r = runCli(["recommend", "--model", good, "--user", "424242", "-k", "2", "--format", "json"]);
    expectExit2(r, '--user: user "424242" is not in the model\'s training data', "cold start");
  });

  it("a known and an unknown --user: the known one's list, and a warning for the other (the rule a run's recommend.users follows)", () => {
    const r = runCli(["recommend", "--model", good, "--user", "2", "--user", "424242", "-k", "2", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: --user: user "424242" is not in the model\'s training data, so it gets no recommendations');
    const out = JSON.parse(r.stdout) as { recommendations: { user: unknown }[] };
    expect(out.recommendations.map((u) => String(u.user))).toEqual(["2"]);
  });

  it("a known --user still works on the same model (exit 0, JSON with k items)", () => {
    const r = runCli(["recommend", "--model", good, "--user", "2", "-k", "2", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { recommendations: { recommendations: unknown[] }[] };
    expect(out.recommendations[0].recommendations).toHaveLength(2);
  });
});
