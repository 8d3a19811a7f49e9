/**
 * recpipe's ALS on prepare.py's split, through its library entry points from the built package (dist/; run
 * `npm run build` first): readTable, trainAls (stages/als/train.ts, the engine the `als` stage runs), predictPairs and
 * recommendTopK (stages/als/recommend.ts). Plain .mjs run by plain `node`, so nothing is transpiled at start-up and the
 * ALS worker threads load the compiled kernels, as the CLI's do.
 *
 *   node bench/compare/recpipe-als.mjs --data DIR --out DIR --task explicit|implicit [--rank 10] [--max-iter 10]
 *        [--reg-param 0.1] [--alpha 1] [--seed 42] [--threads 2] [--solver cholesky|cg]
 *
 * fitSeconds times trainAls alone (dense ids, both CSRs, the worker pool, the sweeps). The training objective is not
 * computed (computeLoss false), as Spark computes none; the `als` stage of `recpipe run` also computes it each sweep.
 * Explicit: predictPairs on the test rows (NaN for unknown ids). Implicit: recommendTopK for every training user with
 * that user's training items excluded.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeVector, Table } from "apache-arrow";

const processStart = performance.now();
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const { readTable } = await import(path.join(dist, "src/io/read-table.js"));
const { writeTable } = await import(path.join(dist, "src/io/write-table.js"));
const { trainAls } = await import(path.join(dist, "stages/als/train.js"));
const { predictPairs, recommendTopK } = await import(path.join(dist, "stages/als/recommend.js"));

const { values: a } = parseArgs({
  options: {
    data: { type: "string" }, out: { type: "string" }, task: { type: "string" },
    rank: { type: "string", default: "10" }, "max-iter": { type: "string", default: "10" },
    "reg-param": { type: "string", default: "0.1" }, alpha: { type: "string", default: "1" },
    seed: { type: "string", default: "42" }, threads: { type: "string", default: "2" },
    solver: { type: "string", default: "cholesky" }, "driver-memory": { type: "string" },
  },
});
if (!a.data || !a.out || (a.task !== "explicit" && a.task !== "implicit")) {
  console.error("recpipe-als: --data DIR --out DIR --task explicit|implicit are required");
  process.exit(2);
}
const seconds = (t0) => (performance.now() - t0) / 1000;
const column = (t, name, Type) => {
  const c = t.getChild(name);
  if (!c) throw new Error(`${name} column missing`);
  const v = c.toArray();
  return v instanceof Type ? v : Type.from(v);
};

let t0 = performance.now();
const train = await readTable(path.join(a.data, "train.parquet"));
const ratings = { user: column(train, "user", Int32Array), item: column(train, "item", Int32Array), rating: column(train, "rating", Float32Array) };
const readSeconds = seconds(t0);

const params = {
  rank: Number(a.rank), maxIter: Number(a["max-iter"]), regParam: Number(a["reg-param"]), alpha: Number(a.alpha),
  implicitPrefs: a.task === "implicit", nonnegative: false, seed: Number(a.seed), solver: a.solver,
};
t0 = performance.now();
const f = await trainAls(ratings, params, { workers: Number(a.threads), computeLoss: false });
const fitSeconds = seconds(t0);

t0 = performance.now();
mkdirSync(a.out, { recursive: true });
const users = { ids: f.userIds, factors: f.userFactors, rank: f.rank };
const items = { ids: f.itemIds, factors: f.itemFactors, rank: f.rank };
if (a.task === "explicit") {
  const test = await readTable(path.join(a.data, "test.parquet"));
  const u = column(test, "user", Int32Array);
  const i = column(test, "item", Int32Array);
  const prediction = predictPairs(users, items, u, i);
  await writeTable(new Table({ user: makeVector(u), item: makeVector(i), prediction: makeVector(prediction) }), path.join(a.out, "predictions.parquet"));
} else {
  const top = await recommendTopK(users, items, 10, { workers: Number(a.threads), exclude: { queryIds: ratings.user, targetIds: ratings.item } });
  let n = 0;
  for (let q = 0; q < top.counts.length; q++) n += top.counts[q];
  const u = new Int32Array(n), i = new Int32Array(n), pos = new Int32Array(n);
  let w = 0;
  for (let q = 0; q < top.counts.length; q++) {
    for (let j = 0; j < top.counts[q]; j++, w++) {
      u[w] = top.queryIds[q];
      i[w] = top.ids[q * 10 + j];
      pos[w] = j;
    }
  }
  await writeTable(new Table({ user: makeVector(u), item: makeVector(i), pos: makeVector(pos) }), path.join(a.out, "top10.parquet"));
}
const outputSeconds = seconds(t0);
console.log(JSON.stringify({ tool: `recpipe-${a.solver}`, fitSeconds, readSeconds, outputSeconds, inProcessSeconds: seconds(processStart) }));
