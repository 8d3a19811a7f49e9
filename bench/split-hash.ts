/**
 * The hash split (random-split, method hash) on 10M rows held in memory: the per-row hash that picks each row's side,
 * and the whole split (hash + both output tables).
 *
 *   npx tsx bench/split-hash.ts [--cases implicit-int,ml-float,string-ids] [--rows 10000000] [--runs 5]
 *
 * Cases (column types as recpipe's CSV reader gives them):
 *   implicit-int  user_id, item_id, plays: Int32 x 3, 200,000 users x 50,000 items (the 10M implicit CSV)
 *   ml-float      userId, movieId Int32, rating Float64, timestamp Int32 (MovieLens-25M's columns)
 *   string-ids    user, item as Dictionary<Utf8> ("u123"), rating Float64, in 1M-row batches (Parquet row groups)
 * Prints one markdown row per case: rows, median wall and CPU seconds of the hash and of the whole split, train/test rows, a
 * digest of the sides (equal digests = the same split, so runs of this script on two commits show whether a change
 * kept the split) and the 1-minute load at the start. Generating the table is not timed.
 */
import { createHash } from "node:crypto";
import { loadavg } from "node:os";
import { Dictionary, Int32, makeData, makeVector, Table, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { rowHashSides } from "../src/core/row-hash.js";
import { randomSplitTable } from "../stages/random-split.js";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const ROWS = Number(opt("rows", "10000000"));
const RUNS = Number(opt("runs", "5"));
const CASES = opt("cases", "implicit-int,ml-float,string-ids").split(",");
const SEED = 42;
const WEIGHTS = [0.8, 0.2];
const BATCH = 1_000_000;

/** mulberry32: a fixed stream, so every commit benches the same table. */
function random(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function ints(n: number, f: (i: number) => number): Vector {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return makeVector(a);
}

function floats(n: number, f: (i: number) => number): Vector {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return makeVector(a);
}

/**
 * Dictionary<Utf8, Int32> ids ("u123") and a Float64 rating, every column in the same BATCH-row chunks with one shared
 * dictionary per column, as recpipe's readers give a Parquet file's row groups.
 */
function stringIdTable(n: number, r: () => number, skewed: (size: number, a: number) => number): Table {
  const type = new Dictionary(new Utf8(), new Int32());
  const users = vectorFromArray(
    Array.from({ length: 200_000 }, (_, k) => `u${k}`),
    new Utf8(),
  );
  const items = vectorFromArray(
    Array.from({ length: 50_000 }, (_, k) => `i${k}`),
    new Utf8(),
  );
  const batches: Table[] = [];
  for (let start = 0; start < n; start += BATCH) {
    const len = Math.min(BATCH, n - start);
    const user = new Int32Array(len);
    const item = new Int32Array(len);
    const rating = new Float64Array(len);
    for (let i = 0; i < len; i++) {
      user[i] = skewed(200_000, 1.5);
      item[i] = skewed(50_000, 3);
      rating[i] = 0.5 * (1 + Math.floor(r() * 10));
    }
    batches.push(
      new Table({
        user: makeVector(makeData({ type, length: len, nullCount: 0, data: user, dictionary: users })),
        item: makeVector(makeData({ type, length: len, nullCount: 0, data: item, dictionary: items })),
        rating: makeVector(rating),
      }),
    );
  }
  return batches[0].concat(...batches.slice(1));
}

function makeCase(name: string, n: number): Table {
  const r = random(7);
  const skewed = (size: number, a: number) => Math.min(size - 1, Math.floor(size * Math.pow(r(), a)));
  if (name === "implicit-int") {
    return new Table({
      user_id: ints(n, () => skewed(200_000, 1.5)),
      item_id: ints(n, () => skewed(50_000, 3)),
      plays: ints(n, () => 1 + Math.floor(-Math.log(1 - r()) * 4)),
    });
  }
  if (name === "ml-float") {
    return new Table({
      userId: ints(n, () => 1 + skewed(162_541, 2)),
      movieId: ints(n, () => 1 + skewed(59_047, 3)),
      rating: floats(n, () => 0.5 * (1 + Math.floor(r() * 10))),
      timestamp: ints(n, (i) => 1_100_000_000 + i),
    });
  }
  if (name === "string-ids") return stringIdTable(n, r, skewed);
  throw new Error(`unknown case ${name}; cases: implicit-int, ml-float, string-ids`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Wall seconds and this process's CPU seconds (user + system) of f: on a loaded machine the CPU time says more. */
function seconds(f: () => void): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  f();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1e6];
}

console.log(`rows ${ROWS.toLocaleString("en-US")}, seed ${SEED}, weights [${WEIGHTS}], median of ${RUNS} runs, node ${process.version}`);
console.log("| case | rows | hash wall (s) | hash CPU (s) | split incl. hash, wall (s) | split CPU (s) | train | test | sides digest | load 1m |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const name of CASES) {
  const table = makeCase(name, ROWS);
  const load = loadavg()[0].toFixed(1);
  let sides: Uint8Array = new Uint8Array(0);
  const hash: [number, number][] = [];
  const split: [number, number][] = [];
  let train = 0;
  let test = 0;
  for (let run = 0; run < RUNS; run++) {
    hash.push(seconds(() => (sides = rowHashSides(table, SEED, WEIGHTS))));
    split.push(
      seconds(() => {
        const s = randomSplitTable(table, WEIGHTS, SEED);
        train = s.train.numRows;
        test = s.test.numRows;
      }),
    );
  }
  const digest = createHash("sha256").update(sides).digest("hex").slice(0, 16);
  const m = (xs: [number, number][], k: 0 | 1) => median(xs.map((x) => x[k])).toFixed(3);
  console.log(
    `| ${name} | ${ROWS.toLocaleString("en-US")} | ${m(hash, 0)} | ${m(hash, 1)} | ${m(split, 0)} | ${m(split, 1)} | ${train.toLocaleString("en-US")} | ${test.toLocaleString("en-US")} | ${digest} | ${load} |`,
  );
}
