import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/run/run.js";

/** Zero-padded ids (Amazon asins like 0006428320) read as numbers lose their zeros: recpipe warns and says the fix. */
const dir = mkdtempSync(join(tmpdir(), "recpipe-zeros-"));
const lines = ["user,asin,rating"];
for (let u = 0; u < 12; u++) for (let i = 0; i < 6; i++) if ((u + i) % 3 !== 0) lines.push(`u${u},${String(600 + i).padStart(10, "0")},${1 + ((u * i) % 5)}`);
writeFileSync(join(dir, "r.csv"), lines.join("\n") + "\n");

function pipeline(types: string): string {
  const p = join(dir, `p${types ? "-typed" : ""}.yaml`);
  writeFileSync(
    p,
    `name: zeros
source: {path: r.csv${types}}
split: {type: none}
pipeline:
  - {type: string-indexer, inputCols: [user, asin], outputCols: [u, i]}
  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 2}
output: {dir: runs}
`,
  );
  return p;
}

describe("numeric-looking ids", () => {
  it("warns when an inferred numeric column had values with leading zeros, naming the column, a value and the fix", async () => {
    const warnings: string[] = [];
    await run(pipeline(""), { workers: 1, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      'source: column "asin" was read as numbers, so ids written with leading zeros lose them: "0000000601" (data row 1) became 601; to keep them as written, declare `types: {asin: string}` in source',
    ]);
  });

  it("says nothing once the column is declared a string", async () => {
    const warnings: string[] = [];
    await run(pipeline(", types: {asin: string}"), { workers: 1, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });
});
