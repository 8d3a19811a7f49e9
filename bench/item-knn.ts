/**
 * item-knn against benfred/implicit's CosineRecommender, side by side in one run on the same ratings and threads:
 * fit (the k neighbours of every item) plus the top 10 for every user with seen items excluded, seconds and peak
 * resident memory of each tool's process, and the ratio recpipe / implicit (target: at most 0.5x at 25M, memory at
 * most implicit's).
 *   bash scripts/setup-bench-venv.sh          (once: implicit in .venv)
 *   node --import tsx bench/item-knn.ts [--sizes 1M,10M,25M] [--k 20] [--threads 2] [--weighting none|tfidf|bm25]
 * Data: Zipf ratings (bench/zipf-ratings.ts) at 1M over 60k users x 20k items, 10M over 200k x 50k, 25M over
 * 162,541 x 59,047 (MovieLens-25M's shape). recpipe's k excludes the item itself; implicit is fitted with K = k + 1,
 * which keeps the same neighbours. Each tool runs in its own process, one after the other (never concurrently).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeVector, Table } from "apache-arrow";
import { buildStage } from "../src/core/define-stage.js";
import { quietContext } from "../src/core/run-context.js";
import { denseIndex } from "../src/kernels/dense-ids.js";
import { itemKnn } from "../stages/item-knn/index.js";
import type { ItemKnnModel } from "../stages/item-knn/item-knn-model.js";
import { zipfRatings } from "./zipf-ratings.js";

const SIZES: Record<string, { nnz: number; users: number; items: number }> = {
  "100k": { nnz: 100_000, users: 6_000, items: 2_000 },
  "1M": { nnz: 1_000_000, users: 60_000, items: 20_000 },
  "5M": { nnz: 5_000_000, users: 162_541, items: 59_047 },
  "10M": { nnz: 10_000_000, users: 200_000, items: 50_000 },
  "25M": { nnz: 25_000_000, users: 162_541, items: 59_047 },
};
const TOP_N = 10;
const root = fileURLToPath(new URL("..", import.meta.url));
const python = join(root, ".venv", "bin", "python");

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

interface Timing {
  fit: number;
  recommend: number;
  cpu: number;
  maxRssMB: number;
}

interface Config {
  size: string;
  /** The raw ratings file both tools read (n int32 users, n int32 items, n float32 ratings), so both peaks hold the same input. */
  file: string;
  users: number;
  items: number;
  k: number;
  threads: number;
  weighting: "none" | "tfidf" | "bm25";
}

/** The ratings as dense indices (both tools see the same matrix). */
function denseRatings(size: string): { user: Int32Array; item: Int32Array; rating: Float32Array; users: number; items: number } {
  const s = SIZES[size];
  const r = zipfRatings({ nnz: s.nnz, users: s.users, items: s.items, seed: 12345 });
  const user = new Int32Array(s.nnz);
  const item = new Int32Array(s.nnz);
  const users = denseIndex(r.user, user).length;
  const items = denseIndex(r.item, item).length;
  return { user, item, rating: r.rating, users, items };
}

/** recpipe in a child process: a fresh heap and wasm tier-up, as implicit gets a fresh interpreter. */
async function child(c: Config): Promise<void> {
  const raw = readFileSync(c.file);
  const n = raw.length / 12;
  const r = {
    user: new Int32Array(raw.buffer, raw.byteOffset, n),
    item: new Int32Array(raw.buffer, raw.byteOffset + 4 * n, n),
    rating: new Float32Array(raw.buffer, raw.byteOffset + 8 * n, n),
    users: c.users,
  };
  const train = new Table({ user: makeVector(r.user), item: makeVector(r.item), rating: makeVector(r.rating) });
  const ctx = quietContext({ workers: c.threads });
  const cpuNow = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const c0 = cpuNow();
  const t0 = performance.now();
  const model = (await buildStage(itemKnn, { k: c.k, weighting: c.weighting }).fit(train, ctx)) as ItemKnnModel;
  const t1 = performance.now();
  const recs = await model.recommendForUsers(model.knownUsers(), TOP_N, ctx, { users: r.user, items: r.item });
  const t2 = performance.now();
  if (recs.users.length !== r.users) throw new Error(`recommended for ${recs.users.length} users, expected ${r.users}`);
  const timing: Timing = { fit: (t1 - t0) / 1000, recommend: (t2 - t1) / 1000, cpu: cpuNow() - c0, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(timing));
}

function lastJson(out: ReturnType<typeof spawnSync>, who: string): Timing {
  const line = String(out.stdout).trim().split("\n").at(-1) ?? "";
  if (out.status !== 0 || !line.startsWith("{")) throw new Error(`${who} failed: ${String(out.stderr)}`);
  return JSON.parse(line) as Timing;
}

function recpipeRun(c: Config): Timing {
  const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", JSON.stringify(c)], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  return lastJson(out, `recpipe ${c.size}`);
}

function implicitRun(c: Config): Timing {
  const args = [
    join(root, "bench/compare/implicit_item_knn.py"),
    c.file,
    String(SIZES[c.size].nnz),
    String(c.users),
    String(c.items),
    String(c.k),
    String(TOP_N),
    String(c.threads),
    c.weighting,
  ];
  const out = spawnSync(python, args, { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1" } });
  return lastJson(out, `implicit ${c.size}`);
}

if (process.argv.includes("--child")) {
  await child(JSON.parse(process.argv[process.argv.indexOf("--child") + 1]) as Config);
} else {
  const k = Number(arg("k", "20"));
  const threads = Number(arg("threads", "2"));
  const weighting = arg("weighting", "none") as Config["weighting"];
  const dir = mkdtempSync(join(tmpdir(), "recpipe-item-knn-"));
  const fmt = (t: Timing): string =>
    `${t.fit.toFixed(2)} + ${t.recommend.toFixed(2)} = ${(t.fit + t.recommend).toFixed(2)} (CPU ${t.cpu.toFixed(1)}) | ${Math.round(t.maxRssMB)}`;
  console.log(
    `| ratings (users x items) | k | weighting | threads | implicit fit + top-${TOP_N} s (CPU s) | implicit peak MB | recpipe fit + top-${TOP_N} s (CPU s) | recpipe peak MB | recpipe / implicit (time, memory) | 1-min load |`,
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  try {
    for (const size of arg("sizes", "1M,10M,25M").split(",")) {
      const s = SIZES[size];
      const r = denseRatings(size);
      const file = join(dir, `${size}.bin`);
      writeFileSync(file, Buffer.concat([Buffer.from(r.user.buffer), Buffer.from(r.item.buffer), Buffer.from(r.rating.buffer)]));
      const c: Config = { size, file, users: r.users, items: r.items, k, threads, weighting };
      const load = loadavg()[0];
      const imp = implicitRun(c);
      const rec = recpipeRun(c);
      const ratio = (rec.fit + rec.recommend) / (imp.fit + imp.recommend);
      console.log(
        `| ${size} (${s.users.toLocaleString("en")} x ${s.items.toLocaleString("en")}) | ${k} | ${weighting} | ${threads} | ${fmt(imp)} | ${fmt(rec)} | **${ratio.toFixed(2)}x**, ${(rec.maxRssMB / imp.maxRssMB).toFixed(2)}x | ${load.toFixed(1)} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
