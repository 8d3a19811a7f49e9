/**
 * recpipe's item-knn on ratings written by bench/item-knn.ts, from the built package (dist/; run `npm run build`
 * first): plain .mjs run by plain `node`, so nothing is transpiled at start-up and the worker threads load the compiled
 * kernels, as the CLI's do. Fit, then the top N for every user with the training pairs excluded, timed apart, as
 * implicit_item_knn.py does for implicit. Prints one JSON line: {"fit": s, "recommend": s, "cpu": CPU s (all threads)}.
 *   node bench/compare/recpipe_item_knn.mjs FILE N USERS ITEMS K TOPN THREADS WEIGHTING
 * Input: a raw little-endian file of n int32 user indices, n int32 item indices, n float32 ratings (dense indices).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeVector, Table } from "apache-arrow";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist");
const { buildStage } = await import(path.join(dist, "src/core/define-stage.js"));
const { quietContext } = await import(path.join(dist, "src/core/run-context.js"));
const { itemKnn } = await import(path.join(dist, "stages/item-knn/index.js"));

const [file, ...rest] = process.argv.slice(2);
const [n, users, , k, topN, threads] = rest.slice(0, 6).map(Number);
const weighting = rest[6];
const raw = readFileSync(file);
const user = new Int32Array(raw.buffer, raw.byteOffset, n);
const item = new Int32Array(raw.buffer, raw.byteOffset + 4 * n, n);
const rating = new Float32Array(raw.buffer, raw.byteOffset + 8 * n, n);
const train = new Table({ user: makeVector(user), item: makeVector(item), rating: makeVector(rating) });
const ctx = quietContext({ workers: threads });
const cpuNow = () => {
  const u = process.cpuUsage(); // all threads of the process
  return (u.user + u.system) / 1e6;
};
const c0 = cpuNow();
const t0 = performance.now();
const model = await buildStage(itemKnn, { k, weighting }).fit(train, ctx);
const t1 = performance.now();
const recs = await model.recommendForUsers(model.knownUsers(), topN, ctx, { users: user, items: item });
const t2 = performance.now();
if (recs.users.length !== users) throw new Error(`recommended for ${recs.users.length} users, expected ${users}`);
console.log(JSON.stringify({ fit: (t1 - t0) / 1000, recommend: (t2 - t1) / 1000, cpu: cpuNow() - c0 }));
