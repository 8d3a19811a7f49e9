/**
 * Where the local-vs-Spark metric gap of pipelines/movielens-100k.yaml comes from: the split or the model? For
 * several split seeds, both splits (recpipe's default hash split, and Spark's randomSplit as the --remote engine
 * draws it, brought back here) are each fitted by both ALS implementations (recpipe's, Spark's over Connect) and
 * scored by RMSE on their test side. Same split -> the gap is the model's; same model -> the gap is the split's.
 * Prints table rows; starts and stops one Spark 4.0 Connect server.
 *
 *   npm run build && npx tsx bench/spark-connect-engine-gap.ts [--seeds 42,1,2,3,4] [--data ../shared/data/movielens-100k/u.data]
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import type { Table } from "apache-arrow";
import { quietContext, silentProgress } from "../src/core/run-context.js";
import { buildEvaluators, buildPipelineStages, buildSplitter } from "../src/spec/build-stages.js";
import { evaluateModel } from "../src/engines/local/evaluate-model.js";
import { loadPipelineFile } from "../src/spec/load-pipeline-file.js";
import { fitPipeline } from "../src/model/pipeline-model.js";
import { readSource } from "../src/engines/local/read-source.js";
import { SparkConnectClient } from "../src/engines/spark-connect/transport/client.js";
import { SparkMl } from "../src/engines/spark-connect/transport/ml.js";
import { sample } from "../src/engines/spark-connect/transport/plan.js";
import { evaluateRemote } from "../src/engines/spark-connect/remote-evaluate.js";
import { fitRemote } from "../src/engines/spark-connect/remote-pipeline.js";
import { parseRemoteUrl } from "../src/engines/spark-connect/transport/remote-url.js";
import { uploadTable } from "../src/engines/spark-connect/transport/upload.js";
import { startSparkConnect } from "./spark-connect/server.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const seeds = arg("--seeds", "42,1,2,3,4").split(",").map(Number);
const data = resolve(arg("--data", "../shared/data/movielens-100k/u.data"));
if (!existsSync(data)) throw new Error(`${data} not found: pass --data /path/to/u.data`);

const loaded = await loadPipelineFile("pipelines/movielens-100k.yaml", {
  set: [`source.path=${JSON.stringify(data)}`, "evaluate=[{type: regression-evaluator, metricName: rmse}]"],
});
const { spec, registry } = loaded;
const ctx = quietContext({ workers: 2 });
const { table } = await readSource(spec.source, loaded.baseDir, spec.seed, silentProgress);
const server = await startSparkConnect("4.0");
const client = await SparkConnectClient.connect(parseRemoteUrl(server.url, {}), "recpipe-bench");
const ml = new SparkMl(client);
const uploaded = await uploadTable(client, table);
const load0 = loadavg()[0];

async function rmseLocal(train: Table, test: Table): Promise<number> {
  const stages = buildPipelineStages(registry, spec.pipeline, spec.seed);
  const model = await fitPipeline(stages, train, { ...ctx, seed: spec.seed }, "pipeline_gap");
  return (await evaluateModel(model, buildEvaluators(registry, spec.evaluate, spec.seed), train, test, ctx)).rmse;
}

async function rmseSpark(train: Table, test: Table): Promise<number> {
  const [tr, te] = [await uploadTable(client, train), await uploadTable(client, test)];
  const model = await fitRemote(ml, registry, buildPipelineStages(registry, spec.pipeline, spec.seed), tr, spec.seed, "");
  try {
    return await evaluateRemote(ml, registry, model, buildEvaluators(registry, spec.evaluate, spec.seed)[0], tr, te, spec.seed, "rmse");
  } finally {
    await model.release();
  }
}

console.log(`| split seed | split | train / test rows | recpipe ALS RMSE | Spark ALS RMSE | model gap (same split) |`);
console.log(`|---|---|---|---|---|---|`);
const bySplit: Record<string, number[]> = { hash: [], spark: [] };
const modelGaps: number[] = [];
for (const seed of seeds) {
  const splitter = buildSplitter(registry, { ...spec.split, params: { ...spec.split.params, seed } }, spec.seed);
  const local = await splitter.split(table, { ...ctx, seed });
  const weights = spec.split.params.weights as number[];
  const cut = weights[0] / (weights[0] + weights[1]);
  const spark = { train: await ml.collect(sample(uploaded, 0, cut, seed), "train"), test: await ml.collect(sample(uploaded, cut, 1, seed), "test") };
  for (const [name, s] of [
    ["recpipe hash", local],
    ["Spark randomSplit", spark],
  ] as const) {
    const [a, b] = [await rmseLocal(s.train, s.test), await rmseSpark(s.train, s.test)];
    bySplit[name === "recpipe hash" ? "hash" : "spark"].push(a, b);
    modelGaps.push(Math.abs(a - b));
    console.log(`| ${seed} | ${name} | ${s.train.numRows} / ${s.test.numRows} | ${a.toFixed(4)} | ${b.toFixed(4)} | ${Math.abs(a - b).toFixed(5)} |`);
  }
}
const all = [...bySplit.hash, ...bySplit.spark];
const mean = all.reduce((x, y) => x + y, 0) / all.length;
const sd = Math.sqrt(all.reduce((x, y) => x + (y - mean) ** 2, 0) / (all.length - 1));
console.log(
  `\nlargest model gap on a shared split: ${Math.max(...modelGaps).toFixed(5)}; RMSE across the ${all.length / 2} splits: mean ${mean.toFixed(4)}, sd ${sd.toFixed(4)}, range ${Math.min(...all).toFixed(4)}-${Math.max(...all).toFixed(4)}; 1-min load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`,
);
await ml.releaseAll();
await client.releaseSession();
client.close();
server.stop();
