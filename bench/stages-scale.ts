/**
 * Scale check for the non-ALS stages on synthetic rows (default 25M): string-indexer fit/transform over a
 * dictionary-encoded user column and an Int32 item column, random-split, stratified-split. Prints seconds a step.
 * Run: npx tsx bench/stages-scale.ts [rows]
 */
import { Dictionary, Int32, makeData, makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { buildStage } from "../src/core/define-stage.js";
import { quietContext } from "../src/core/run-context.js";
import { randomSplit } from "../stages/random-split.js";
import { stratifiedSplit } from "../stages/stratified-split.js";
import { stringIndexer } from "../stages/string-indexer.js";

const n = Number(process.argv[2] ?? 25_000_000);
const users = 160_000;
const codes = new Int32Array(n);
const items = new Int32Array(n);
const ratings = new Float32Array(n);
const ts = new Float64Array(n);
let s = 1;
for (let i = 0; i < n; i++) {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  codes[i] = s % users;
  items[i] = (s >>> 7) % 60_000;
  ratings[i] = 1 + ((s >>> 3) % 10) / 2;
  ts[i] = 1e9 + (s % 1e6);
}
const dict = vectorFromArray(
  Array.from({ length: users }, (_, i) => `u${i}`),
  new Utf8(),
);
const user = makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length: n, nullCount: 0, data: codes, dictionary: dict }));
const table = new Table({ user, item: makeVector(items), rating: makeVector(ratings), timestamp: makeVector(ts) });
const ctx = quietContext();
const time = async <T>(label: string, f: () => T | Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const r = await f();
  console.log(`${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return r;
};
const model = await time("string-indexer fit", () => buildStage(stringIndexer, { inputCols: ["user", "item"], outputCols: ["u", "i"] }).fit(table, ctx));
await time("string-indexer transform", () => model.transform(table, ctx));
await time("random-split", () => buildStage(randomSplit, { seed: 1 }).split(table, ctx));
await time("stratified-split", () => buildStage(stratifiedSplit, { seed: 1 }).split(table, ctx));
console.log(`rows: ${n}, rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB`);
