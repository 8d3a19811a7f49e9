import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reproduce } from "../../src/runs/reproduce.js";
import { run } from "../../src/run/run.js";
import { validatePipeline } from "../../src/run/validate-pipeline.js";
import { inputError } from "../input-error.js";

/** 30 users x 6 items each, then 5 exact duplicates of the first rows, one 'N/A' rating and one sparse user. */
function ratingsCsv(): string {
  const lines = ["user,item,rating,ts"];
  let ts = 0;
  for (let u = 0; u < 30; u++) for (let k = 0; k < 6; k++) lines.push(`u${u},i${(u + k) % 12},${1 + ((u * 7 + k) % 5)},${ts++}`);
  for (let r = 1; r <= 5; r++) lines.push(lines[r].replace(/,\d+$/, `,${ts++}`));
  lines.push(`u3,i9,N/A,${ts++}`);
  lines.push(`lonely,i0,4,${ts++}`);
  return lines.join("\n") + "\n";
}

function setUp(prepare: string, extra = ""): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "recpipe-prepare-"));
  writeFileSync(join(dir, "ratings.csv"), ratingsCsv());
  const file = join(dir, "p.yaml");
  writeFileSync(
    file,
    `name: prep
source: {path: ratings.csv, nullValues: ["N/A"]}
${prepare}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i]}
  - {type: als, userCol: u, itemCol: i, rank: 3, maxIter: 2, regParam: 0.1}
${extra}output: {dir: runs}
`,
  );
  return { dir, file };
}

const CLEANING = `prepare:
  - {type: drop-na, cols: [rating]}
  - {name: dedup, type: drop-duplicates, cols: [user, item], keep: last, orderBy: ts}
  - {type: min-count-filter, minUserCount: 2, minItemCount: 2, iterative: true}`;

describe("prepare: in a run", () => {
  it("applies the steps before the split and records the funnel in manifest.json, metrics.json and the report", async () => {
    const { file } = setUp(CLEANING);
    const r = await run(file, { workers: 1 });
    const expected = [
      { step: "source", rows: 187, users: 31, items: 12, duplicatePairs: 5 },
      { step: "prepare[0]", type: "drop-na", name: "drop-na", rows: 186, users: 31, items: 12, duplicatePairs: 5 },
      { step: "prepare[1]", type: "drop-duplicates", name: "dedup", rows: 181, users: 31, items: 12, duplicatePairs: 0 },
      { step: "prepare[2]", type: "min-count-filter", name: "min-count-filter", rows: 180, users: 30, items: 12, duplicatePairs: 0 },
    ];
    expect(r.prepare).toEqual(expected);
    const manifest = JSON.parse(readFileSync(join(r.runDir, "manifest.json"), "utf8"));
    expect(manifest.prepare).toEqual(expected);
    expect(manifest.inputs[0].rows).toBe(187);
    expect(JSON.parse(readFileSync(join(r.runDir, "metrics.json"), "utf8")).prepare).toEqual(expected);
    const html = readFileSync(join(r.runDir, "report.html"), "utf8");
    expect(html).toContain('<section id="prepare">');
    expect(html).toContain("prepare[2] min-count-filter");
    expect(r.timingsSeconds.prepare).toBeGreaterThanOrEqual(0);
    expect(r.notes.join("\n")).not.toMatch(/repeat an earlier/);
    // reproduce re-runs and compares the funnel (and every artefact)
    const again = await reproduce(r.runDir, { workers: 2 });
    expect(again.differences).toEqual([]);
  });

  it("warns about duplicate (user, item) pairs that reach ALS, naming the count and the step that drops them", async () => {
    const { file } = setUp(`prepare:\n  - {type: drop-na, cols: [rating]}`);
    const r = await run(file, { workers: 1 });
    const note = r.notes.find((n) => n.includes("repeat an earlier"));
    expect(note).toContain("5 rows repeat an earlier (user, item) pair and reach als");
    expect(note).toContain("prepare: [{type: drop-duplicates, cols: [user, item]}]");
    expect(readFileSync(join(r.runDir, "report.html"), "utf8")).toContain("5 rows repeat an earlier");
  });

  it("--set addresses a prepare step by name", async () => {
    const { file } = setUp(CLEANING);
    const r = await run(file, { workers: 1, set: ["prepare.min-count-filter.minUserCount=6"] });
    expect(r.prepare?.at(-1)?.rows).toBe(180);
    expect(readFileSync(join(r.runDir, "pipeline.yaml"), "utf8")).toMatch(/minUserCount: 6/);
    const msg = await inputError(run(file, { workers: 1, set: ["prepare.min-count-filter.minUserCount=7"] }));
    expect(msg).toMatch(/prepare\[2\] \(min-count-filter\): left no rows: it received 181 rows \(31 users, 12 items\)/);
  });

  it("a null rating that no drop-na removes is exit 2 naming the line", async () => {
    const { file } = setUp("");
    expect(await inputError(run(file, { workers: 1 }))).toMatch(
      /column "rating" must hold a finite number.*ratings\.csv:187 \('N\/A', one of source\.nullValues\)/,
    );
    const later = setUp(`prepare:\n  - {type: drop-duplicates, cols: [user, item]}`);
    expect(await inputError(run(later.file, { workers: 1 }))).toMatch(/must hold a finite number.*after prepare/);
  });

  it("validate names prepare[i], the key, and what it found, without reading the data whole", async () => {
    const { file } = setUp(`prepare:\n  - {type: drop-na, cols: [rating]}\n  - {type: drop-duplicates, cols: [user, itme]}`);
    expect(await inputError(validatePipeline(file))).toMatch(/prepare\[1\] \(drop-duplicates\)\.cols\[1\]: column "itme" not found \(did you mean "item"\?\)/);
    const order = setUp(`prepare:\n  - {type: drop-duplicates, cols: [user, item], orderBy: when}`);
    expect(await inputError(validatePipeline(order.file))).toMatch(/prepare\[0\] \(drop-duplicates\)\.orderBy: column "when" not found/);
    const inPipeline = setUp("", "").file;
    writeFileSync(inPipeline, readFileSync(inPipeline, "utf8").replace("pipeline:\n", "pipeline:\n  - {type: drop-na}\n"));
    expect(await inputError(validatePipeline(inPipeline))).toMatch(
      /pipeline\[0\] \(drop-na\)\.type drop-na drops rows, so it is a prepare step.*move it to `prepare:`/,
    );
  });

  it("orderBy on a column with nulls is exit 2 naming the step and the row", async () => {
    const { dir, file } = setUp(`prepare:\n  - {type: drop-na, cols: [rating]}\n  - {type: drop-duplicates, cols: [user, item], orderBy: ts}`);
    writeFileSync(join(dir, "ratings.csv"), ratingsCsv().replace("u0,i0,1,0\n", "u0,i0,1,\n"));
    expect(await inputError(run(file, { workers: 1 }))).toMatch(
      /prepare\[1\] \(drop-duplicates\)\.orderBy: column "ts" must hold a value in every row to order duplicates by; row 0 holds null \(drop them first with \{type: drop-na, cols: \[ts\]\}\)/,
    );
  });
});

describe("source.nullValues", () => {
  it("jsonl: string values equal to a null value read as null, so a mixed column becomes numeric", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recpipe-nullvalues-"));
    const rows = [];
    for (let u = 0; u < 10; u++)
      for (let k = 0; k < 4; k++)
        rows.push(JSON.stringify({ user: `u${u}`, item: `i${(u + k) % 6}`, overall: u === 2 && k === 1 ? "N/A" : 1 + ((u + k) % 5) }));
    writeFileSync(join(dir, "r.jsonl"), rows.join("\n") + "\n");
    writeFileSync(
      join(dir, "p.yaml"),
      `name: nv\nsource: {path: r.jsonl, nullValues: ["N/A"]}\nprepare: [{type: drop-na}]\nsplit: {type: none}\npipeline:\n  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i]}\n  - {type: als, userCol: u, itemCol: i, ratingCol: overall, rank: 2, maxIter: 1}\nevaluate: []\noutput: {dir: runs}\n`,
    );
    const r = await run(join(dir, "p.yaml"), { workers: 1 });
    expect(r.prepare?.map((f) => f.rows)).toEqual([40, 39]);
  });

  it("is refused for parquet, which stores its nulls", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recpipe-nullvalues-"));
    writeFileSync(join(dir, "p.yaml"), `name: nv\nsource: {path: r.parquet, nullValues: ["N/A"]}\npipeline: [{type: als}]\n`);
    writeFileSync(join(dir, "r.parquet"), "");
    expect(await inputError(validatePipeline(join(dir, "p.yaml")))).toMatch(/source\.nullValues: applies to csv, tsv and jsonl/);
  });
});
