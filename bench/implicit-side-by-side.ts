/**
 * What the benchmarks against benfred/implicit share (bench/als-vs-implicit.ts, bench/item-knn.ts): the Zipf sizes,
 * command-line flags, the bench venv's Python, the raw ratings file both tools read (n int32 dense user indices, n int32
 * dense item indices, n float32 ratings: bench/compare/*.py read it with numpy) and the one JSON line a tool's process
 * prints last.
 */
import type { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { denseIndex } from "../src/kernels/dense-ids.js";
import { zipfRatings } from "./zipf-ratings.js";

/** Zipf ratings (bench/zipf-ratings.ts); 25M is MovieLens-25M's shape, 5M the same users and items, sparser. */
export const ZIPF_SIZES: Record<string, { nnz: number; users: number; items: number }> = {
  "100k": { nnz: 100_000, users: 6_000, items: 2_000 },
  "1M": { nnz: 1_000_000, users: 60_000, items: 20_000 },
  "3M": { nnz: 3_000_000, users: 60_000, items: 20_000 },
  "5M": { nnz: 5_000_000, users: 162_541, items: 59_047 },
  "10M": { nnz: 10_000_000, users: 200_000, items: 50_000 },
  "25M": { nnz: 25_000_000, users: 162_541, items: 59_047 },
};

export const benchRoot = fileURLToPath(new URL("..", import.meta.url));
export const benchPython = join(benchRoot, ".venv", "bin", "python");

/** The value after --name, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

export function zipfSize(size: string): { nnz: number; users: number; items: number } {
  const s = ZIPF_SIZES[size];
  if (!s) throw new Error(`unknown size ${size}; expected one of ${Object.keys(ZIPF_SIZES).join(", ")}`);
  return s;
}

/** Writes the Zipf ratings of `size` (seed 12345) in dense indices to dir/size.bin; returns the file and the counts seen. */
export function writeDenseRatings(size: string, dir: string): { file: string; nnz: number; users: number; items: number } {
  const s = zipfSize(size);
  const r = zipfRatings({ nnz: s.nnz, users: s.users, items: s.items, seed: 12345 });
  const user = new Int32Array(s.nnz);
  const item = new Int32Array(s.nnz);
  const users = denseIndex(r.user, user).length;
  const items = denseIndex(r.item, item).length;
  const file = join(dir, `${size}.bin`);
  writeFileSync(file, Buffer.concat([Buffer.from(user.buffer), Buffer.from(item.buffer), Buffer.from(r.rating.buffer)]));
  return { file, nnz: s.nnz, users, items };
}

/** The last stdout line of a tool's process, which must be a JSON object. */
export function lastJsonLine<T>(out: ReturnType<typeof spawnSync>, who: string): T {
  const line = String(out.stdout).trim().split("\n").at(-1) ?? "";
  if (out.status !== 0 || !line.startsWith("{")) throw new Error(`${who} failed (exit ${out.status}): ${String(out.stderr).slice(-2000)}`);
  return JSON.parse(line) as T;
}
