import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { readParquetBytes } from "../../src/io/parquet-codec.js";
import type { BadInputCase, CaseContext } from "./case.js";
import { csv, edit, NUMERIC_RATINGS_CSV, PIPELINE, PIPELINE_ALS_ONLY, RATINGS_CSV, ratingsParquet, ratingsRows, write } from "./fixtures.js";

/** A case over the fixture pipeline whose data file is `data` (named `file`). */
function dataCase(
  c: Omit<BadInputCase, "area" | "setup" | "args"> & { data: () => string | Uint8Array; file?: string; yaml?: string; args?: string[] },
): BadInputCase {
  const { data, file = "ratings.csv", yaml = PIPELINE, args, ...rest } = c;
  return {
    area: "data file",
    setup: ({ dir }: CaseContext) => {
      write(dir, "p.yaml", file === "ratings.csv" ? yaml : edit(yaml, "path: ratings.csv", `path: ${file}`));
      write(dir, file, data());
    },
    args: args ?? ["run", "p.yaml", "--json", "--quiet"],
    ...rest,
  };
}

/** The run directory of a successful `run --json`. */
function runDir(stdout: string, c: CaseContext): string {
  return path.resolve(c.dir, (JSON.parse(stdout) as { runDir: string }).runDir);
}

function inputRows(stdout: string, c: CaseContext): number {
  const manifest = JSON.parse(readFileSync(path.join(runDir(stdout, c), "manifest.json"), "utf8")) as { inputs: { rows: number }[] };
  return manifest.inputs[0].rows;
}

const NROWS = ratingsRows().length;

const UNICODE_USERS = ["Zoë", "ユーザー", "😀", "Ωmega", "user,with,commas", "naïve", "Ğüñ", "李雷", "u 9", "ß", "Ä-11", "🙂🙂"];
const UNICODE_ITEMS = ["Ítem", "商品", "🎬", "Straße", "crème brûlée", "Ø", "ёлка", "かな"];
const quoteIfNeeded = (s: string) => (s.includes(",") ? `"${s}"` : s);

/** Old users rate first, then only new users: a temporal split's test side is entirely cold start. */
function coldStartCsv(): string {
  const rows = ["user,item,rating,ts"];
  for (let i = 0; i < 40; i++) rows.push(`a${i % 8},i${i % 6},${1 + (i % 5)},${i}`);
  for (let i = 40; i < 50; i++) rows.push(`b${i % 5},i${i % 6},${1 + (i % 5)},${i}`);
  return rows.join("\n") + "\n";
}

/** The fixture pipeline with a prepare: block before its split. */
const withPrepare = (steps: string) => edit(PIPELINE, "split:", `prepare:\n${steps}\nsplit:`);

export const dataCases: BadInputCase[] = [
  dataCase({
    id: "prepare-missing-column",
    input: "a prepare step whose `cols` names a column the data lacks (caught at validate)",
    data: () => RATINGS_CSV,
    yaml: withPrepare("  - {type: drop-duplicates, cols: [user, itme]}"),
    args: ["validate", "p.yaml"],
    exit: 2,
    message: ["prepare[0] (drop-duplicates).cols[1]", 'column "itme" not found', 'did you mean "item"'],
  }),
  dataCase({
    id: "prepare-leaves-no-rows",
    input: "a prepare step that leaves no rows (a k-core above every user's count)",
    data: () => RATINGS_CSV,
    yaml: withPrepare("  - {type: min-count-filter, minUserCount: 1000}"),
    exit: 2,
    message: ["prepare[0] (min-count-filter): left no rows", `it received ${NROWS} rows`],
  }),
  dataCase({
    id: "prepare-order-by-nulls",
    input: "drop-duplicates `orderBy` on a column with an empty cell",
    data: () =>
      csv(
        ratingsRows().map((r, i) => [...r, i === 3 ? "" : String(i)]),
        ["user", "item", "rating", "ts"],
      ),
    yaml: withPrepare("  - {type: drop-duplicates, cols: [user, item], keep: last, orderBy: ts}"),
    exit: 2,
    message: ["prepare[0] (drop-duplicates).orderBy", 'column "ts" must hold a value in every row', "row 3 holds null", "drop-na"],
  }),
  dataCase({
    id: "all-test-rows-cold-start",
    input: "a temporal split whose test rows all have users unseen in training",
    data: coldStartCsv,
    yaml: edit(PIPELINE, "split: {type: random-split, weights: [0.8, 0.2]}", "split: {type: temporal-split, timeCol: ts, weights: [0.8, 0.2]}"),
    exit: 2,
    message: ["all 10 test rows are cold start", "rmse cannot be computed"],
  }),
  dataCase({
    id: "empty-data-file",
    input: "empty data file (0 bytes)",
    data: () => "",
    exit: 2,
    message: ["ratings.csv", "file is empty"],
  }),
  dataCase({
    id: "header-only",
    input: "CSV with a header and no rows",
    data: () => "user,item,rating\n",
    exit: 2,
    message: ["ratings.csv", "no data rows after the header"],
  }),
  dataCase({
    id: "wrong-field-count",
    input: "CSV row with a missing field",
    data: () => edit(RATINGS_CSV, "u1,i2,", "u1,i2"),
    exit: 2,
    message: ["ratings.csv:3", "expected 3 fields, found 2"],
  }),
  dataCase({
    id: "unterminated-quote",
    input: "CSV with an unterminated quoted field",
    data: () => RATINGS_CSV + 'u99,"i1,4\n',
    exit: 2,
    message: [`ratings.csv:${NROWS + 2}`, "unterminated quoted field"],
  }),
  dataCase({
    id: "non-numeric-rating",
    input: "non-numeric rating (`five`)",
    data: () => edit(RATINGS_CSV, "u1,i1,1", "u1,i1,five"),
    exit: 2,
    message: ["als.ratingCol", 'column "rating" must be numeric', "ratings.csv:2 has 'five'"],
  }),
  dataCase({
    id: "null-rating",
    input: "empty (null) rating (one row; the message names its line in the file, whichever split it would land in)",
    data: () => csv(ratingsRows().map((r, j) => (j === 3 ? [r[0], r[1], ""] : r))),
    exit: 2,
    message: ["als.ratingCol", 'column "rating" must hold a finite number', "Ratings MUST NOT be Null or NaN", "ratings.csv:5 (empty)"],
  }),
  dataCase({
    id: "nan-rating",
    input: "`NaN` rating",
    data: () => csv(ratingsRows().map((r, j) => (j === 6 ? [r[0], r[1], "NaN"] : r))),
    exit: 2,
    message: ["als.ratingCol", "Ratings MUST NOT be Null or NaN", "ratings.csv:8 ('NaN')"],
  }),
  dataCase({
    id: "fractional-ids-als",
    input: "fractional user id into ALS (no string-indexer)",
    yaml: PIPELINE_ALS_ONLY,
    data: () => edit(NUMERIC_RATINGS_CSV, "\n1,102,", "\n1.5,102,"),
    exit: 2,
    message: ["als", "column user", "1.5", "string-indexer"],
  }),
  dataCase({
    id: "ids-beyond-int32",
    input: "user id beyond int32 into ALS",
    yaml: PIPELINE_ALS_ONLY,
    data: () => edit(NUMERIC_RATINGS_CSV, "\n1,102,", "\n3000000000,102,"),
    exit: 2,
    message: ["als", "column user", "3000000000", "string-indexer"],
  }),
  dataCase({
    id: "unknown-extension",
    input: "data file with an unknown extension",
    file: "ratings.xlsx",
    data: () => RATINGS_CSV,
    exit: 2,
    message: ["ratings.xlsx", 'extension ".xlsx"', "csv, tsv, jsonl, parquet, arrow"],
  }),
  dataCase({
    id: "line-100mb",
    input: "a 100 MB line (no delimiter in it)",
    data: () => {
      const head = Buffer.from(RATINGS_CSV);
      const line = Buffer.alloc(100 << 20, 0x78);
      return Buffer.concat([head, line, Buffer.from("\nu1,i1,3\n")]);
    },
    exit: 2,
    message: [`ratings.csv:${NROWS + 2}`, "expected 3 fields, found 1"],
  }),
  dataCase({
    id: "truncated-parquet",
    input: "truncated Parquet file",
    file: "ratings.parquet",
    data: () => {
      const b = ratingsParquet();
      return b.subarray(0, Math.floor(b.length / 2));
    },
    exit: 2,
    message: ["ratings.parquet", "not a readable Parquet file"],
  }),
  dataCase({
    id: "parquet-string-ratings",
    input: "Parquet with string ratings",
    file: "ratings.parquet",
    data: () => ratingsParquet("string"),
    exit: 2,
    message: ["als.ratingCol", 'column "rating" must be numeric', "Utf8"],
  }),
  dataCase({
    id: "bom",
    input: "UTF-8 byte order mark before the header",
    data: () => "\ufeff" + RATINGS_CSV,
    args: ["validate", "p.yaml"],
    exit: 0,
    outcome: "works: the BOM is skipped, the first column is `user`",
    verify: (r) => {
      expect(r.stdout).toContain("input columns: user: Utf8 (dictionary-encoded), item: Utf8 (dictionary-encoded), rating: Int32");
      expect(r.stdout).not.toContain("\ufeff");
    },
  }),
  dataCase({
    id: "mixed-line-endings",
    input: "mixed line endings (`\\r\\n`, `\\n` and `\\r`) and no final newline",
    data: () => {
      const lines = RATINGS_CSV.trimEnd().split("\n");
      return lines.map((l, i) => l + (i === lines.length - 1 ? "" : ["\r\n", "\n", "\r"][i % 3])).join("");
    },
    exit: 0,
    outcome: "works: every row is read",
    verify: (r, c) => expect(inputRows(r.stdout, c)).toBe(NROWS),
  }),
  dataCase({
    id: "quoted-newline",
    input: "quoted id holding a newline and a doubled quote",
    data: () => RATINGS_CSV + '"new\nuser ""x""",i1,4\n"new\nuser ""x""",i2,5\n',
    exit: 0,
    outcome: 'works: one id `new⏎user "x"`, rows counted correctly',
    verify: (r, c) => expect(inputRows(r.stdout, c)).toBe(NROWS + 2),
  }),
  dataCase({
    id: "identical-ratings",
    input: "every rating identical",
    data: () => csv(ratingsRows().map(([u, i]) => [u, i, "3"])),
    exit: 0,
    outcome: "runs; rmse is finite",
    verify: (r) => expect(Number.isFinite((JSON.parse(r.stdout) as { metrics: { rmse: number } }).metrics.rmse)).toBe(true),
  }),
  dataCase({
    id: "one-rating-user",
    input: "a user with a single rating",
    data: () => RATINGS_CSV + "lonely,i1,4\n",
    exit: 0,
    outcome: "runs",
    verify: (r, c) => expect(inputRows(r.stdout, c)).toBe(NROWS + 1),
  }),
  dataCase({
    id: "unicode-ids",
    input: "unicode user and item ids (CJK, emoji, accents, a quoted comma)",
    yaml: PIPELINE + "recommend: {k: 3, users: all, excludeSeen: true}\n",
    data: () =>
      csv(
        ratingsRows(
          (u) => quoteIfNeeded(UNICODE_USERS[u - 1]),
          (i) => UNICODE_ITEMS[i - 1],
        ),
      ),
    exit: 0,
    outcome: "runs; recommendations.parquet carries the original ids, byte for byte",
    verify: (r, c) => {
      const recs = readParquetBytes(readFileSync(path.join(runDir(r.stdout, c), "recommendations.parquet")));
      const users = new Set<string>();
      const items = new Set<string>();
      for (const row of recs) {
        users.add(String(row.user));
        items.add(String(row.item));
      }
      expect([...users].sort()).toEqual([...UNICODE_USERS].sort());
      for (const it of items) expect(UNICODE_ITEMS).toContain(it);
    },
  }),
];
