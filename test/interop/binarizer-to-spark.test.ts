/**
 * recpipe -> Spark for Binarizer: recpipe fits a pipeline holding a single-column and a multi-column binarizer
 * before string-indexer + implicit als; Spark 3.5 and 4.0 load the run's model/ with PipelineModel.load and transform
 * the same rows (NaN and null ratings among them) to the same output rows as recpipe's own loaded model (but for a
 * null input, which Spark 3.5's Binarizer keeps null and Spark 4's, like recpipe, turns into 0.0).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Float64, Table, Utf8, vectorFromArray } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import { loadModel } from "../../src/model/load-model.js";
import { run } from "../../src/run/run.js";
import { runSparkScript } from "./run-spark-script.js";
import { sparkEnv } from "./spark-env.js";
import { writeStringIdRatings } from "./string-id-ratings.js";

type Row = Record<string, string | number | null>;
const input: { user: string; item: string; rating: number | null; plays: number }[] = [
  { user: "u0", item: "it0", rating: 5, plays: 3 },
  { user: "u3", item: "it7", rating: 3.5, plays: 0 },
  { user: "u17", item: "it2", rating: NaN, plays: 12 },
  { user: "u29", item: "it24", rating: null, plays: 1 },
  { user: "u1", item: "it3", rating: 1, plays: -2 },
];

const PIPELINE = `name: binarizer-interop
seed: 11
source: {path: ratings.csv, types: {rating: float64, plays: float64}}
split: {type: none}
pipeline:
  - {type: binarizer, inputCol: rating, outputCol: liked, threshold: 3.5}
  - {name: both, type: binarizer, inputCols: [rating, plays], outputCols: [high, played], thresholds: [2.0, 0.0]}
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, ratingCol: liked, implicitPrefs: true, rank: 3, maxIter: 3, seed: 1}
evaluate: []
output: {dir: runs}
`;

describe.each(["3.5", "4.0"] as const)("Spark %s loads a recpipe pipeline holding binarizers", (line) => {
  const env = sparkEnv(line);
  const maybe = env.available ? it : it.skip;
  let ours: Row[];
  let theirs: { stageClasses: string[]; rows: Row[] };

  beforeAll(async () => {
    if (!env.available) return;
    const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-binarizer-spark-"));
    writeStringIdRatings(dir, 30, 25, 0.3);
    // A plays column beside each rating: the multi-column binarizer's second input.
    const csv = path.join(dir, "ratings.csv");
    const { readFileSync } = await import("node:fs");
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    writeFileSync(csv, [`${lines[0]},plays`, ...lines.slice(1).map((l, k) => `${l},${(k % 4) - 1}`)].join("\n") + "\n");
    writeFileSync(path.join(dir, "p.yaml"), PIPELINE);
    const r = await run(path.join(dir, "p.yaml"), { workers: 1 });
    const model = await loadModel(path.join(r.runDir, "model"));
    const t = new Table({
      user: vectorFromArray(
        input.map((x) => x.user),
        new Utf8(),
      ),
      item: vectorFromArray(
        input.map((x) => x.item),
        new Utf8(),
      ),
      rating: vectorFromArray(
        input.map((x) => x.rating),
        new Float64(),
      ),
      plays: vectorFromArray(
        input.map((x) => x.plays),
        new Float64(),
      ),
    });
    const out = await model.model.transform(t, quietContext({ workers: 1 }));
    ours = input.map((_, k) =>
      Object.fromEntries(
        out.schema.fields.map((f) => {
          const v = out.getChild(f.name)!.get(k) as number | string | null;
          return [f.name, typeof v === "number" && Number.isNaN(v) ? null : v];
        }),
      ),
    );
    const rowsFile = path.join(dir, "rows.json");
    writeFileSync(rowsFile, JSON.stringify(input.map((x) => ({ ...x, rating: x.rating === null ? null : Number.isNaN(x.rating) ? "NaN" : x.rating }))));
    theirs = await runSparkScript(env.available ? env.python : "", "spark_pipeline_transform.py", [
      path.join(r.runDir, "model"),
      rowsFile,
      "user STRING, item STRING, rating DOUBLE, plays DOUBLE",
    ]);
  }, 240_000);

  maybe("loads the binarizers as Spark's Binarizer and gives the same output rows", () => {
    expect(theirs.stageClasses).toEqual(["Binarizer", "Binarizer", "StringIndexerModel", "ALSModel"]);
    // NaN gives 0.0 in both lines. A null gives 0.0 in Spark 4 (a SQL \`when\`, the current source, which recpipe
    // follows) but stays null in Spark 3.5 (a Scala UDF on a primitive Double): row 3's rating is null.
    const nullOut = line === "3.5" ? null : 0;
    expect(theirs.rows.map((r) => [r.liked, r.high, r.played])).toEqual([
      [1, 1, 1],
      [0, 1, 0],
      [0, 0, 1],
      [nullOut, nullOut, 1],
      [0, 0, 0],
    ]);
    expect(ours.map((r) => [r.liked, r.high, r.played])).toEqual([
      [1, 1, 1],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    for (let k = 0; k < input.length; k++) {
      expect(ours[k].u).toBe(theirs.rows[k].u);
      expect(ours[k].i).toBe(theirs.rows[k].i);
      expect(ours[k].prediction as number).toBeCloseTo(theirs.rows[k].prediction as number, 5);
    }
  });
});
