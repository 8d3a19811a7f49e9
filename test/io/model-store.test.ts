import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tableFromArrays, type Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import type { SavedStage } from "../../src/core/saved-stage.js";
import { listFilesRecursive, sha256File } from "../../src/io/atomic-dir.js";
import { hadoopCrc } from "../../src/io/hadoop-crc.js";
import { loadSavedStage, saveModel } from "../../src/io/model-store.js";
import { alsFactorTable } from "./als-factors.js";
import { sharedDataDir, sharedDataPresent } from "../shared-data.js";
import { tempDir } from "./fixtures.js";

const { dir } = tempDir();
const sparkModels = path.join(sharedDataDir, "spark-models");
const haveSparkModels = sharedDataPresent([sparkModels], "model-store.test.ts");

function pipelineModel(): SavedStage {
  const als: SavedStage = {
    className: "org.apache.spark.ml.recommendation.ALSModel",
    uid: "als_0123456789ab",
    timestamp: 1718000000000,
    sparkVersion: "3.5.0",
    paramMap: { userCol: "userIndex", itemCol: "itemIndex", blockSize: 4096 },
    defaultParamMap: { coldStartStrategy: "nan", predictionCol: "prediction" },
    extra: { rank: 4, recpipeVersion: "0.1.0" },
    tables: { userFactors: alsFactorTable([0, 1, 2], 4, 7), itemFactors: alsFactorTable([0, 1], 4, 9) },
  };
  const indexer: SavedStage = {
    className: "org.apache.spark.ml.feature.StringIndexerModel",
    uid: "strIdx_aaaaaaaaaaaa",
    timestamp: 1718000000000,
    paramMap: { inputCols: ["user"], outputCols: ["userIndex"] },
    defaultParamMap: { handleInvalid: "error" },
    tables: { data: tableFromArrays({ n: Int32Array.from([1]) }) },
  };
  return {
    className: "org.apache.spark.ml.PipelineModel",
    uid: "pipeline_bbbbbbbbbbbb",
    timestamp: 1718000000000,
    paramMap: { stageUids: [indexer.uid, als.uid] },
    defaultParamMap: {},
    children: [
      { path: `stages/0_${indexer.uid}`, stage: indexer },
      { path: `stages/1_${als.uid}`, stage: als },
    ],
  };
}

function tableRows(t: Table): unknown[] {
  return t.toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v) => (v && typeof v === "object" && "toArray" in v ? Array.from(v.toArray()) : v)));
}

function expectSameStage(a: SavedStage, b: SavedStage): void {
  expect(b.className).toBe(a.className);
  expect(b.uid).toBe(a.uid);
  expect(b.paramMap).toEqual(a.paramMap);
  expect(b.defaultParamMap).toEqual(a.defaultParamMap);
  expect(b.extra).toEqual(a.extra);
  expect(b.timestamp).toBe(a.timestamp);
  expect(Object.keys(b.tables ?? {}).sort()).toEqual(Object.keys(a.tables ?? {}).sort()); // folders have no order
  for (const [name, t] of Object.entries(a.tables ?? {})) {
    expect(String(b.tables![name].schema.fields.map((f) => `${f.name}:${f.type}`))).toBe(String(t.schema.fields.map((f) => `${f.name}:${f.type}`)));
    expect(tableRows(b.tables![name])).toEqual(tableRows(t));
  }
  expect((b.children ?? []).map((c) => c.path)).toEqual((a.children ?? []).map((c) => c.path));
  (a.children ?? []).forEach((c, i) => expectSameStage(c.stage, b.children![i].stage));
}

describe("model store", () => {
  it("writes Spark's layout with ordered metadata keys and deterministic part names", async () => {
    const target = path.join(dir, "model");
    await saveModel(target, pipelineModel());
    const files = await listFilesRecursive(target);
    expect(files).toContain("metadata/part-00000");
    expect(files).toContain("metadata/_SUCCESS");
    expect(files).toContain("stages/1_als_0123456789ab/userFactors/_SUCCESS");
    expect(files.some((f) => /^stages\/1_als_0123456789ab\/itemFactors\/part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/.test(f))).toBe(true);
    const line = readFileSync(path.join(target, "stages/1_als_0123456789ab/metadata/part-00000"), "utf8");
    expect(line.endsWith("}\n")).toBe(true);
    expect(Object.keys(JSON.parse(line))).toEqual(["class", "timestamp", "sparkVersion", "uid", "paramMap", "defaultParamMap", "rank", "recpipeVersion"]);
  });

  it("round-trips, and saving twice gives byte-identical trees", async () => {
    const a = path.join(dir, "twice-a");
    const b = path.join(dir, "twice-b");
    await saveModel(a, pipelineModel());
    await saveModel(b, pipelineModel());
    const fa = await listFilesRecursive(a);
    expect(await listFilesRecursive(b)).toEqual(fa);
    for (const f of fa) expect(await sha256File(path.join(b, f))).toBe(await sha256File(path.join(a, f)));
    expectSameStage(pipelineModel(), await loadSavedStage(a));
    await expect(saveModel(a, pipelineModel())).rejects.toThrow(/already exists/);
    await saveModel(a, pipelineModel(), { overwrite: true });
  });

  it("rejects missing metadata, non-JSON metadata, no class, symlinks, unreadable parquet", async () => {
    const mk = (name: string, meta?: string) => {
      const d = path.join(dir, name);
      mkdirSync(path.join(d, "metadata"), { recursive: true });
      if (meta !== undefined) writeFileSync(path.join(d, "metadata", "part-00000"), meta);
      return d;
    };
    const noMeta = path.join(dir, "no-meta");
    mkdirSync(noMeta);
    await expect(loadSavedStage(noMeta)).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringMatching(/no-meta: no metadata\//) });
    await expect(loadSavedStage(mk("notjson", "{oops"))).rejects.toMatchObject({
      code: "E_MODEL",
      message: expect.stringMatching(/notjson\/metadata\/part-00000: metadata is not JSON/),
    });
    await expect(loadSavedStage(mk("noclass", '{"uid":"x"}\n'))).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringMatching(/no "class"/) });
    const linked = mk("linked", '{"class":"A","uid":"a"}\n');
    symlinkSync(dir, path.join(linked, "escape"));
    await expect(loadSavedStage(linked)).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringMatching(/linked\/escape: is a symbolic link/) });
    const badPq = mk("badpq", '{"class":"A","uid":"a"}\n');
    mkdirSync(path.join(badPq, "data"));
    writeFileSync(path.join(badPq, "data", "part-00000.parquet"), "nope");
    await expect(loadSavedStage(badPq)).rejects.toMatchObject({ code: "E_MODEL", message: expect.stringMatching(/badpq\/data: unreadable Parquet/) });
  });

  it("accepts Spark 4 metadata names, missing defaultParamMap and .crc files", async () => {
    const d = path.join(dir, "spark4");
    mkdirSync(path.join(d, "metadata"), { recursive: true });
    writeFileSync(
      path.join(d, "metadata", "part-00000-0b6c7c1e-1111-2222-3333-444455556666-c000.txt"),
      '{"class":"org.apache.spark.ml.feature.IndexToString","timestamp":1,"sparkVersion":"2.3.0","uid":"idx","paramMap":{"inputCol":"i"}}\n',
    );
    writeFileSync(path.join(d, "metadata", ".part-00000.crc"), "crc");
    const s = await loadSavedStage(d);
    expect(s.className).toBe("org.apache.spark.ml.feature.IndexToString");
    expect(s.defaultParamMap).toBeUndefined();
    expect(s.paramMap).toEqual({ inputCol: "i" });
  });
});

describe.skipIf(!haveSparkModels)(`real Spark models in ${sparkModels}`, () => {
  const dirs = haveSparkModels
    ? readdirSync(sparkModels, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];

  it.each(dirs)("%s loads into a SavedStage tree", async (name) => {
    const s = await loadSavedStage(path.join(sparkModels, name));
    expect(s.className).toMatch(/^org\.apache\.spark\.ml\./);
    const expectedClass: Record<string, string> = {
      "als-ml100k-spark3.0.2": "org.apache.spark.ml.recommendation.ALSModel",
      "crossvalidator-pipeline-kickstarter-spark2.4.4": "org.apache.spark.ml.tuning.CrossValidatorModel",
      "pipeline-stringindexers-spark3.5.1": "org.apache.spark.ml.PipelineModel",
      "stringindexer-amazon-items-spark3.5.8": "org.apache.spark.ml.feature.StringIndexerModel",
    };
    // A folder this test does not know is a failure, not a pass with no assertion: add its expected class above.
    expect(Object.keys(expectedClass), `unexpected model folder ${name}`).toContain(name);
    expect(s.className).toBe(expectedClass[name]);
  });

  it("every .crc file Spark wrote is byte for byte what recpipe's Hadoop checksum writer gives for its file", async () => {
    let checked = 0;
    for (const name of dirs) {
      const root = path.join(sparkModels, name);
      for (const rel of await listFilesRecursive(root)) {
        const base = path.basename(rel);
        if (!(base.startsWith(".") && base.endsWith(".crc"))) continue;
        const data = path.join(root, path.dirname(rel), base.slice(1, -".crc".length));
        expect(Buffer.from(hadoopCrc(readFileSync(data))).equals(readFileSync(path.join(root, rel))), rel).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("ALS factors come back as id int32 + features list<float32> with 943/1682 rows", async () => {
    const s = await loadSavedStage(path.join(sparkModels, "als-ml100k-spark3.0.2"));
    expect(s.extra?.rank).toBe(10);
    const users = s.tables!.userFactors;
    const items = s.tables!.itemFactors;
    expect([users.numRows, items.numRows]).toEqual([943, 1682]);
    for (const t of [users, items]) {
      expect(String(t.schema.fields.map((f) => `${f.name}:${f.type}`))).toBe("id:Int32,features:List<Float32>");
      expect(t.getChild("features")!.get(0)!.length).toBe(10);
    }
  });

  it("StringIndexer labels (2.4) and labelsArray (3.x); CV and pipeline children", async () => {
    const cv = await loadSavedStage(path.join(sparkModels, "crossvalidator-pipeline-kickstarter-spark2.4.4"));
    expect(cv.children!.map((c) => c.path)).toEqual(["bestModel", "estimator", "evaluator"]);
    const best = cv.children![0].stage;
    expect(best.className).toBe("org.apache.spark.ml.PipelineModel");
    expect(best.children!.map((c) => c.path.split("_")[0])).toEqual(Array.from({ length: 9 }, (_, i) => `stages/${i}`));
    const idx = best.children![4].stage;
    expect(idx.className).toBe("org.apache.spark.ml.feature.StringIndexerModel");
    const labels = idx.tables!.data.getChild("labels")!.get(0)!.toArray();
    expect(labels.length).toBe(11);
    expect(labels[0]).toBe("US");
    const si = await loadSavedStage(path.join(sparkModels, "stringindexer-amazon-items-spark3.5.8"));
    const arr = si.tables!.data.getChild("labelsArray")!.get(0)!;
    expect(arr.get(0).length).toBe(266414);
  });
});
