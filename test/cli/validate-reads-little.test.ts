/**
 * `recpipe validate` computes nothing: it checks the data file exists and reads its columns from the first rows, never
 * the whole file. A file whose only fault lies beyond the first MiB shows it: validate passes, run (which reads every
 * row) names the bad line.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-validate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows: string[] = ["user,item,rating"];
for (let i = 0; rows.join("\n").length < 1.5 * (1 << 20); i++)
  for (let j = 0; j < 100; j++) rows.push(`u${i % 500},i${(i * 7 + j) % 300},${1 + ((i + j) % 5)}`);
const lastLine = rows.length + 1;
rows.push("u1,i2,3,an extra field");
writeFileSync(path.join(dir, "ratings.csv"), rows.join("\n") + "\n");
writeFileSync(
  path.join(dir, "p.yaml"),
  `name: v
source: {path: ratings.csv}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i]}
  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 1}
`,
);

describe("recpipe validate reads the head of the data file only", () => {
  it("passes on a file whose only bad row is past the first MiB, and reports its columns", () => {
    const r = runCli(["validate", "p.yaml"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/input columns: user: Utf8.*, item: Utf8.*, rating: Int32/);
  });

  it("run reads every row and names that line (the file is bad, validate just does not read that far)", () => {
    const r = runCli(["run", "p.yaml", "--quiet"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ratings.csv:${lastLine}: expected 3 fields, found 4`);
  });

  it("still checks what the head shows: a missing column is named", () => {
    const r = runCli(["validate", "p.yaml", "--set", "pipeline.als.ratingCol=stars"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("stars");
  });
});
