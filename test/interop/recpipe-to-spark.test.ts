/**
 * recpipe -> Spark: recpipe fits string-indexer + als (and a cross-validated variant) through the programmatic run();
 * real Spark then loads the run's model/ with PipelineModel.load, the ALS stage folder with ALSModel.load and the tuned
 * model with CrossValidatorModel.load (one JVM for all three), and must predict and recommend what recpipe does.
 * Every file recpipe saves carries Hadoop's `.crc` beside it, which Spark verifies: a wrong one makes Spark refuse the
 * model, so the loads above prove recpipe's checksums are right. A model tuned on each ranking metric loads in Spark
 * when the metric is Spark's, and is refused naming recpipe's evaluator class when it is recpipe's own.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Table, Utf8, vectorFromArray } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import { loadModel, type LoadedModel } from "../../src/model/load-model.js";
import { recommendFromModel, type ModelRecommendations } from "../../src/model/recommend-from-model.js";
import { run, type RunResult } from "../../src/run/run.js";
import type { AlsModel } from "../../stages/als/als-model.js";
import { runSparkScript } from "./run-spark-script.js";
import { INTEROP_LINES, sparkEnv } from "./spark-env.js";
import { stringIdPipelineYaml, writeStringIdRatings } from "./string-id-ratings.js";

interface SparkPrediction {
  user: string | number;
  item: string | number;
  prediction: number | null;
}
interface SparkJob {
  error?: string;
  metricName?: string;
  k?: number;
  stageClasses?: string[];
  bestModelClass?: string;
  estimatorClass?: string;
  evaluatorClass?: string;
  avgMetrics?: number[];
  numParamMaps?: number;
  uid: string;
  rank: number;
  predictions: SparkPrediction[];
  recommendations: { user: number; userLabel?: string; itemLabels?: string[]; recs: [number, number][] }[];
  factors: { user: Record<string, number[]>; item: Record<string, number[]> };
}
type SparkOut = Record<string, SparkJob> & { sparkVersion: string };

const SPARK_RANKING = ["meanAveragePrecision", "meanAveragePrecisionAtK", "precisionAtK", "ndcgAtK", "recallAtK"];
const RECPIPE_RANKING = ["hitRateAtK", "mrrAtK"];

/** A copy of `model` whose checksum file for `file` (relative) has one bit flipped in its first CRC value. */
function withWrongCrc(model: string, dest: string, file: string): string {
  cpSync(model, dest, { recursive: true });
  const crc = path.join(dest, path.dirname(file), `.${path.basename(file)}.crc`);
  const bytes = readFileSync(crc);
  bytes[8] ^= 0x01;
  writeFileSync(crc, bytes);
  return dest;
}
const K = 4;
const TOL = 1e-5;
// Known pairs, a user and an item the data never had (cold start: NaN in both), and an unknown pair.
const labelPairs: [string, string][] = [
  ["u0", "it0"],
  ["u3", "it7"],
  ["u17", "it2"],
  ["u29", "it24"],
  ["nobody", "it1"],
  ["u1", "no-such-item"],
];

/** recpipe's transform of labelPairs: rows it keeps (coldStartStrategy drop removes some), NaN as null. */
async function recpipePredictions(loaded: LoadedModel): Promise<SparkPrediction[]> {
  const t = new Table({
    user: vectorFromArray(
      labelPairs.map((p) => p[0]),
      new Utf8(),
    ),
    item: vectorFromArray(
      labelPairs.map((p) => p[1]),
      new Utf8(),
    ),
  });
  const out = await loaded.model.transform(t, quietContext({ workers: 1 }));
  const pred = out.getChild("prediction")!.toArray() as Float32Array;
  const users = out.getChild("user")!.toArray() as string[];
  const items = out.getChild("item")!.toArray() as string[];
  return [...pred].map((x, r) => ({ user: users[r], item: items[r], prediction: Number.isNaN(x) ? null : x }));
}

function alsOf(loaded: LoadedModel): AlsModel {
  return loaded.model.stages[loaded.model.stages.length - 1] as AlsModel;
}

function factorsAsJson(f: AlsModel["userFactors"]): Record<string, number[]> {
  return Object.fromEntries([...f.ids].map((id, r) => [String(id), [...f.factors.subarray(r * f.rank, (r + 1) * f.rank)]]));
}

function expectSamePredictions(spark: SparkPrediction[], ours: SparkPrediction[]): void {
  expect(spark.map((p) => [p.user, p.item])).toEqual(ours.map((p) => [p.user, p.item]));
  spark.forEach((p, n) => {
    const want = ours[n].prediction;
    if (want === null) expect(p.prediction, `pair ${p.user},${p.item}`).toBeNull();
    else expect(Math.abs((p.prediction as number) - want), `pair ${p.user},${p.item}`).toBeLessThan(TOL);
  });
}

function expectSameTopK(spark: SparkJob["recommendations"], ours: ModelRecommendations): void {
  const sorted = (xs: string[]) => [...xs].sort();
  expect(sorted(spark.map((r) => r.userLabel!))).toEqual(sorted(ours.users.map((u) => String(u.user))));
  const byUser = new Map(ours.users.map((u) => [String(u.user), u.items]));
  for (const r of spark) {
    const mine = byUser.get(r.userLabel!)!;
    expect(r.itemLabels, `top-${K} of ${r.userLabel}`).toEqual(mine.map((x) => String(x.item)));
    r.recs.forEach(([, score], j) => expect(Math.abs(score - mine[j].rating)).toBeLessThan(TOL));
  }
}

describe.each(INTEROP_LINES)("Spark %s loads what recpipe's run() writes", (line) => {
  const env = sparkEnv(line);
  const maybe = env.available ? it : it.skip;
  let dir: string;
  let plain: RunResult;
  let tuned: RunResult;
  let plainModel: LoadedModel;
  let tunedModel: LoadedModel;
  let spark: SparkOut;
  const rankingTuned = new Map<string, RunResult>();

  beforeAll(async () => {
    if (!env.available) return;
    dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-to-spark-"));
    writeStringIdRatings(dir, 30, 25, 0.3);
    writeFileSync(path.join(dir, "plain.yaml"), stringIdPipelineYaml("plain"));
    writeFileSync(path.join(dir, "tuned.yaml"), stringIdPipelineYaml("tuned", { tuned: true }));
    plain = await run(path.join(dir, "plain.yaml"), { outDir: path.join(dir, "runs"), workers: 2 });
    tuned = await run(path.join(dir, "tuned.yaml"), { outDir: path.join(dir, "runs"), workers: 2 });
    plainModel = await loadModel(path.join(plain.runDir, "model"));
    tunedModel = await loadModel(path.join(tuned.runDir, "model"));
    const stagesDir = path.join(plain.runDir, "model", "stages");
    const alsDir = path.join(
      stagesDir,
      readdirSync(stagesDir).find((d) => d.startsWith("1_"))!,
    );
    // The ALS stage alone works on the indices the indexer made; feed it a few (including one past every index).
    const indexPairs = [
      [0, 0],
      [1, 2],
      [5, 3],
      [999, 0],
    ];
    for (const metric of [...SPARK_RANKING, ...RECPIPE_RANKING]) {
      const file = path.join(dir, `tuned-${metric}.yaml`);
      writeFileSync(
        file,
        stringIdPipelineYaml(`tuned-${metric}`, {
          tuned: true,
          maxIter: 2,
          oneParamMap: true,
          tuneEvaluator: `{type: ranking-evaluator, metricName: ${metric}, k: 5}`,
        }),
      );
      rankingTuned.set(metric, await run(file, { outDir: path.join(dir, "runs"), workers: 1 }));
    }
    const model = path.join(plain.runDir, "model");
    const userFactors = readdirSync(path.join(alsDir, "userFactors")).find((f) => f.endsWith(".parquet"))!;
    const alsRel = path.relative(model, alsDir);
    const jobs = [
      { name: "pipeline", kind: "pipeline", dir: model, pairs: labelPairs, k: K },
      { name: "als", kind: "als", dir: alsDir, pairs: indexPairs, k: K },
      { name: "cv", kind: "cv", dir: path.join(tuned.runDir, "model"), pairs: labelPairs, k: K },
      { name: "wrongMetadataCrc", kind: "pipeline", dir: withWrongCrc(model, path.join(dir, "bad-meta-crc"), "metadata/part-00000"), pairs: labelPairs, k: K },
      {
        name: "wrongParquetCrc",
        kind: "pipeline",
        dir: withWrongCrc(model, path.join(dir, "bad-parquet-crc"), path.join(alsRel, "userFactors", userFactors)),
        pairs: labelPairs,
        k: K,
      },
      ...[...rankingTuned].map(([metric, r]) => ({ name: `ranking-${metric}`, kind: "cv-evaluator", dir: path.join(r.runDir, "model"), pairs: [], k: K })),
      ...RECPIPE_RANKING.map((metric) => ({
        name: `best-${metric}`,
        kind: "pipeline",
        dir: path.join(rankingTuned.get(metric)!.runDir, "model", "bestModel"),
        pairs: labelPairs,
        k: K,
      })),
    ];
    writeFileSync(path.join(dir, "jobs.json"), JSON.stringify(jobs));
    spark = await runSparkScript<SparkOut>(env.python, "spark_load_many.py", [path.join(dir, "jobs.json")]);
    // One JVM per Spark line for all the loads: about a minute unloaded, several on 2 cores shared with other work.
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  maybe(`the JVM that loads the models is Spark ${line}`, () => {
    expect(spark.sparkVersion.startsWith(`${line}.`)).toBe(true);
  });

  maybe("PipelineModel.load reads the run's model/ as StringIndexerModel + ALSModel with recpipe's factors, bit for bit", () => {
    const job = spark.pipeline;
    expect(job.error).toBeUndefined();
    expect(job.stageClasses).toEqual(["StringIndexerModel", "ALSModel"]);
    expect(job.uid).toBe(plainModel.model.uid);
    const als = alsOf(plainModel);
    expect(job.rank).toBe(als.rank);
    expect(job.factors.user).toEqual(factorsAsJson(als.userFactors));
    expect(job.factors.item).toEqual(factorsAsJson(als.itemFactors));
  });

  maybe("Spark's transform on string ids equals recpipe's predictions (NaN for cold ids in both)", async () => {
    const ours = await recpipePredictions(plainModel);
    expect(ours.map((p) => [p.user, p.item])).toEqual(labelPairs);
    expect(ours.filter((p) => p.prediction === null)).toHaveLength(2);
    expectSamePredictions(spark.pipeline.predictions, ours);
  });

  maybe("Spark's recommendForAllUsers(k), mapped through the indexer labels, equals recpipe's top-k", async () => {
    const ours = await recommendFromModel(plainModel, { users: "all", k: K }, quietContext({ workers: 1 }));
    expectSameTopK(spark.pipeline.recommendations, ours);
  });

  maybe("ALSModel.load reads the ALS stage folder alone; its transform on indices is the factors' dot product", () => {
    const job = spark.als;
    expect(job.error).toBeUndefined();
    const als = alsOf(plainModel);
    expect(job.factors.user).toEqual(factorsAsJson(als.userFactors));
    for (const p of job.predictions) {
      const u = als.userFactors.ids.indexOf(p.user as number);
      const i = als.itemFactors.ids.indexOf(p.item as number);
      if (u < 0 || i < 0) {
        expect(p.prediction).toBeNull();
        continue;
      }
      let dot = 0;
      for (let r = 0; r < als.rank; r++) dot += als.userFactors.factors[u * als.rank + r] * als.itemFactors.factors[i * als.rank + r];
      expect(Math.abs((p.prediction as number) - dot)).toBeLessThan(TOL);
    }
    expect(job.recommendations).toHaveLength(als.userFactors.ids.length);
  });

  maybe("CrossValidatorModel.load reads the tuned run: estimator, evaluator, 4 param maps, avgMetrics, bestModel", async () => {
    const job = spark.cv;
    expect(job.error).toBeUndefined();
    expect(job.estimatorClass).toBe("Pipeline");
    expect(job.evaluatorClass).toBe("RegressionEvaluator");
    expect(job.bestModelClass).toBe("PipelineModel");
    expect(job.numParamMaps).toBe(4);
    expect(job.avgMetrics).toEqual(tuned.tune!.avgMetrics);
    expect(job.rank).toBe(alsOf(tunedModel).rank);
    const ours = await recpipePredictions(tunedModel);
    expect(ours).toHaveLength(labelPairs.length - 2); // coldStartStrategy drop
    expectSamePredictions(job.predictions, ours);
    const recs = await recommendFromModel(tunedModel, { users: "all", k: K }, quietContext({ workers: 1 }));
    const byLabel = new Map(recs.users.map((u) => [String(u.user), u.items.map((x) => String(x.item))]));
    expect(job.recommendations).toHaveLength(byLabel.size);
    for (const r of job.recommendations) expect(r.itemLabels).toEqual(byLabel.get(r.userLabel!));
  });

  maybe("recpipe's model files all carry .crc files, and a wrong one makes Spark refuse the model (metadata and Parquet)", () => {
    expect(readdirSync(path.join(plain.runDir, "model", "metadata"))).toContain(".part-00000.crc");
    for (const job of [spark.wrongMetadataCrc, spark.wrongParquetCrc]) {
      expect(job.error, "Spark loaded a model whose checksum is wrong").toBeDefined();
      expect(job.error).toMatch(/ChecksumException: Checksum error/);
    }
  });

  maybe.each(SPARK_RANKING)("CrossValidatorModel.load reads a model tuned on %s: Spark's RankingEvaluator, same metric, k and avgMetrics", (metric) => {
    const job = spark[`ranking-${metric}`];
    expect(job.error).toBeUndefined();
    expect(job.evaluatorClass).toBe("RankingEvaluator");
    expect(job.metricName).toBe(metric);
    expect(job.k).toBe(5);
    expect(job.avgMetrics).toEqual(rankingTuned.get(metric)!.tune!.avgMetrics);
  });

  maybe.each(RECPIPE_RANKING)("a model tuned on recpipe's %s is refused by Spark naming recpipe's evaluator (Spark has no such metric)", (metric) => {
    const job = spark[`ranking-${metric}`];
    // PySpark up to 4.0 names the JVM class it cannot find; 4.3 looks the class up as a Python module first and
    // stops at its package, `recpipe`.
    if (line === "4.3") expect(job.error).toBe("No module named 'recpipe'");
    else expect(job.error).toContain("recpipe.evaluation.RankingEvaluator");
    // The tuned model's bestModel/ is a plain PipelineModel, which Spark loads.
    expect(spark[`best-${metric}`].error).toBeUndefined();
    expect(spark[`best-${metric}`].stageClasses).toEqual(["StringIndexerModel", "ALSModel"]);
  });
});
