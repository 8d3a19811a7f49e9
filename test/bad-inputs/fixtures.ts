import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { Table, tableFromArrays, vectorFromArray, Utf8 } from "apache-arrow";
import { writeParquetBytes } from "../../src/io/parquet-codec.js";

/**
 * Generated fixtures for the bad-input cases: a small ratings file and a pipeline file over it that runs in about a
 * second, and `edit()` to break exactly one thing in either.
 */

export const USERS = 12;
export const ITEMS = 8;

/**
 * Three quarters of the (user, item) pairs, with a rating in 1..5 that depends on both, so ALS has something to learn
 * and every user has unrated items to be recommended.
 */
export function ratingsRows(userId = (u: number) => `u${u}`, itemId = (i: number) => `i${i}`): string[][] {
  const rows: string[][] = [];
  for (let u = 1; u <= USERS; u++) {
    for (let i = 1; i <= ITEMS; i++) if ((u + i) % 4 !== 0) rows.push([userId(u), itemId(i), String(((u * 7 + i * 3) % 5) + 1)]);
  }
  return rows;
}

export function csv(rows: string[][], header: string[] | null = ["user", "item", "rating"], eol = "\n"): string {
  return [...(header ? [header] : []), ...rows].map((r) => r.join(",")).join(eol) + eol;
}

export const RATINGS_CSV = csv(ratingsRows());

/** ratings with numeric ids, for ALS without a string-indexer in front. */
export const NUMERIC_RATINGS_CSV = csv(ratingsRows(String, (i) => String(100 + i)));

export const PIPELINE = `name: bad-inputs
seed: 1
source: {path: ratings.csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - type: string-indexer
    inputCols: [user, item]
    outputCols: [userIndex, itemIndex]
    handleInvalid: keep
  - type: als
    userCol: userIndex
    itemCol: itemIndex
    ratingCol: rating
    rank: 2
    maxIter: 2
    coldStartStrategy: drop
evaluate:
  - {type: regression-evaluator, metricName: rmse}
`;

/** The same data through ALS directly (ids must then be integers in int32 range). */
export const PIPELINE_ALS_ONLY = `name: bad-inputs
seed: 1
source: {path: ratings.csv}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - type: als
    rank: 2
    maxIter: 2
    coldStartStrategy: drop
evaluate:
  - {type: regression-evaluator, metricName: rmse}
`;

/** Replaces `from` by `to` in `text`, and fails loudly when `from` is absent, so a fixture cannot silently stay valid. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

export function write(dir: string, name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

export function ratingsParquet(ratings: "float" | "string" = "float"): Uint8Array {
  const rows = ratingsRows();
  const table: Table =
    ratings === "float"
      ? tableFromArrays({ user: rows.map((r) => r[0]), item: rows.map((r) => r[1]), rating: Float32Array.from(rows.map((r) => Number(r[2]))) })
      : new Table({
          user: vectorFromArray(
            rows.map((r) => r[0]),
            new Utf8(),
          ),
          item: vectorFromArray(
            rows.map((r) => r[1]),
            new Utf8(),
          ),
          rating: vectorFromArray(
            rows.map((r) => r[2]),
            new Utf8(),
          ),
        });
  return writeParquetBytes(table);
}
