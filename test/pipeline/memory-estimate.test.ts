/**
 * Before reading anything, `run` and `validate` estimate the run's peak memory from the source's size and the params,
 * and refuse (exit 2, naming memory and what to do) a run that cannot fit, quickly and without leaving a run directory.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeVector, Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { estimateRows } from "../../src/io/estimate-rows.js";
import { writeTable } from "../../src/io/write-table.js";
import { checkRunFitsMemory, estimateRunMemory } from "../../src/engines/local/memory-estimate.js";
import { loadPipelineFile } from "../../src/spec/load-pipeline-file.js";
import { runCliAsync } from "../cli/run-cli.js";
import { tempDir } from "../io/fixtures.js";

const { dir, file } = tempDir();

const huge = (out: string) => `name: huge
seed: 1
source: {type: synthetic-ratings, users: 20000000, items: 2000000, rank: 10, density: 0.0001, noise: 0.3}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i]}
  - {type: als, userCol: u, itemCol: i, ratingCol: rating, rank: 64, maxIter: 5}
output: {dir: ${out}}
`;

describe("a source far larger than memory", () => {
  for (const cmd of ["run", "validate"]) {
    it(`${cmd}: exit 2 within seconds, naming the estimate, the memory found and what to do; no run directory`, async () => {
      const out = path.join(dir, `runs-${cmd}`);
      const yaml = file(`huge-${cmd}.yaml`, huge(out));
      const t0 = Date.now();
      const r = await runCliAsync([cmd, yaml]);
      expect(r.code, r.stderr).toBe(2);
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(r.stderr).toMatch(/needs about \d+(\.\d)? GB of memory \(4,000,000,000 ratings/);
      expect(r.stderr).toMatch(/GB available \(\d+(\.\d)? GB total\)/);
      expect(r.stderr).toMatch(/fewer ratings.*lower ALS rank.*--remote/);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    });
  }

  it("a run that fits passes the check and validate prints its estimate", async () => {
    const yaml = file(
      "small.yaml",
      huge(path.join(dir, "runs-small")).replace("users: 20000000, items: 2000000", "users: 200, items: 100").replace("density: 0.0001", "density: 0.1"),
    );
    const r = await runCliAsync(["validate", yaml]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/memory: about \d+ MB for 2,000 ratings \(from the synthetic source's params: 200 users x 10 ratings each\)/);
  });

  it("the check compares against the memory available, and grows with rows, rank and tuning", async () => {
    const loaded = await loadPipelineFile(file("mid.yaml", huge(path.join(dir, "r")).replace("users: 20000000", "users: 200000")));
    const est = estimateRunMemory(loaded.spec, 40e6, "test", 200_000 + 2_000_000);
    await expect(checkRunFitsMemory(loaded.spec, dir, { totalBytes: 64e9, availableBytes: est.bytes + 1 })).resolves.toBeDefined();
    await expect(checkRunFitsMemory(loaded.spec, dir, { totalBytes: 64e9, availableBytes: est.bytes - 1 })).rejects.toThrow(/needs about/);
    expect(estimateRunMemory(loaded.spec, 80e6, "test").bytes).toBeGreaterThan(est.bytes);
    const rank10 = { ...loaded.spec, pipeline: loaded.spec.pipeline.map((s) => (s.type === "als" ? { ...s, params: { ...s.params, rank: 10 } } : s)) };
    expect(estimateRunMemory(rank10, 40e6, "test").bytes).toBeLessThan(est.bytes);
  });
});

describe("row counts without reading the file", () => {
  it("csv: size over the mean line length of the first MiB, within 2% on a 3 MB file", async () => {
    const lines = ["user,item,rating"];
    for (let i = 0; i < 150_000; i++) lines.push(`u${i % 977},i${(i * 7) % 1013},${(i % 5) + 1}`);
    const p = file("ratings.csv", lines.join("\n") + "\n");
    const est = await estimateRows(p);
    expect(est?.how).toBe("sampled lines");
    expect(Math.abs(est!.rows - (lines.length - 1)) / lines.length).toBeLessThan(0.02);
  });

  it("a text file shorter than the sample is counted exactly", async () => {
    expect((await estimateRows(file("tiny.tsv", "1\t2\t3\n4\t5\t6"), undefined, { header: false }))?.rows).toBe(2);
  });

  it("a csv header line is not counted as a rating (exactly in a small file, and left out of the mean line length)", async () => {
    expect((await estimateRows(file("one.csv", "user,item,rating\n1,2,3\n")))?.rows).toBe(1);
    expect((await estimateRows(file("one-headerless.csv", "1,2,3\n4,5,6\n"), "csv", { header: false }))?.rows).toBe(2);
    // A long header over 2 MiB of 8-byte lines: counting it as a line would skew the mean line length.
    const header = "user,item,rating," + "x".repeat(200_000) + "\n";
    const big = file("long-header.csv", header + "1,2,3.5\n".repeat(262_144));
    expect((await estimateRows(big))?.rows).toBe(262_144);
    // A file whose columns are named in the pipeline (no header) counts every line.
    const loaded = await loadPipelineFile(
      file(
        "named.yaml",
        `name: n\nseed: 1\nsource: {path: one-headerless.csv, columns: [user, item, rating]}\npipeline:\n  - {type: als, userCol: user, itemCol: item, ratingCol: rating}\n`,
      ),
    );
    await expect(checkRunFitsMemory(loaded.spec, dir, { totalBytes: 64e9, availableBytes: 64e9 })).resolves.toMatchObject({ rows: 2 });
    const withHeader = await loadPipelineFile(
      file("header.yaml", `name: n\nseed: 1\nsource: {path: one.csv}\npipeline:\n  - {type: als, userCol: user, itemCol: item, ratingCol: rating}\n`),
    );
    await expect(checkRunFitsMemory(withHeader.spec, dir, { totalBytes: 64e9, availableBytes: 64e9 })).resolves.toMatchObject({ rows: 1 });
  });

  it("parquet: the exact count from the footer", async () => {
    const p = path.join(dir, "r.parquet");
    await writeTable(new Table({ user: makeVector(Int32Array.from({ length: 12345 }, (_, i) => i % 50)) }), p, { format: "parquet" });
    expect(await estimateRows(p)).toMatchObject({ rows: 12345, how: "parquet metadata" });
  });

  it("a missing file gives no estimate (the reader reports it)", async () => {
    writeFileSync(path.join(dir, "x"), "");
    expect(await estimateRows(path.join(dir, "missing.csv"))).toBeUndefined();
  });
});
