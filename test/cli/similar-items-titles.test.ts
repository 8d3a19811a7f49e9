import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "../../src/io/read-table.js";
import { runCli } from "./run-cli.js";

/**
 * Issue 19's outputs end to end through the built CLI: `items:` titles joined into recommendations.parquet and saved
 * with the model (so `recommend --model` shows them), `recommend.similarItems` writing similar-items.parquet, the
 * `--similar-items` CLI, and a model pipeline under `baselines:` scored beside the main one.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-similar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 30 users x 12 items with two taste groups; item 12 has no row in the items file (one warning).
const rows: string[] = ["user,item,rating"];
for (let u = 1; u <= 30; u++)
  for (let i = 1; i <= 12; i++) if ((u * 5 + i * 3) % 7 !== 0) rows.push(`${u},${100 + i},${(u % 2 === i % 2 ? 4 : 1) + ((u + i) % 2)}`);
const titles = ["id,title,year", ...Array.from({ length: 11 }, (_, i) => `${101 + i},"Film ${101 + i}, the sequel",${1990 + i}`)];

let runDir = "";
let stderr = "";
beforeAll(() => {
  writeFileSync(path.join(dir, "ratings.csv"), rows.join("\n") + "\n");
  writeFileSync(path.join(dir, "items.csv"), titles.join("\n") + "\n");
  writeFileSync(
    path.join(dir, "p.yaml"),
    `name: sim
seed: 3
source: {path: ratings.csv}
items: {path: items.csv, idCol: id, cols: [title]}
split: {type: random-split, weights: [0.8, 0.2]}
pipeline:
  - {type: als, userCol: user, itemCol: item, ratingCol: rating, rank: 3, maxIter: 4, coldStartStrategy: drop}
baselines:
  - most-popular
  - {name: als-implicit, pipeline: [{type: als, userCol: user, itemCol: item, ratingCol: rating, rank: 3, maxIter: 4, implicitPrefs: true, coldStartStrategy: drop}]}
evaluate:
  - {type: ranking-evaluator, metricName: ndcgAtK, k: 5}
  - {type: ranking-evaluator, metricName: expectedPercentileRank}
recommend: {k: 3, users: all, similarItems: 4}
output: {dir: runs}
`,
  );
  const r = runCli(["run", "p.yaml", "--json", "--quiet", "--workers", "2"], { cwd: dir });
  stderr = r.stderr;
  if (r.code !== 0) throw new Error(`run failed (${r.code}): ${r.stderr}`);
  runDir = path.resolve(dir, (JSON.parse(r.stdout) as { runDir: string }).runDir);
});

describe("items, similar items and model baselines in a run", () => {
  it("warns once about the item without a row", () => {
    const lines = stderr.split("\n").filter((l) => l.includes("no row in the items file"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/1 of the model's 12 items have no row in the items file \(by id\), e\.g\. 112/);
  });

  it("joins titles into recommendations.parquet and writes similar-items.parquet, both in the manifest", async () => {
    const recs = await readTable(path.join(runDir, "recommendations.parquet"), { format: "parquet" });
    expect(recs.schema.fields.map((f) => f.name)).toEqual(["user", "rank", "item", "rating", "title"]);
    for (let i = 0; i < recs.numRows; i++) {
      const item = Number(recs.getChild("item")!.get(i));
      expect(recs.getChild("title")!.get(i)).toBe(item === 112 ? null : `Film ${item}, the sequel`);
    }
    const sim = await readTable(path.join(runDir, "similar-items.parquet"), { format: "parquet" });
    expect(sim.schema.fields.map((f) => f.name)).toEqual(["item", "rank", "similarItem", "score", "title", "similarTitle"]);
    expect(sim.numRows).toBe(12 * 4);
    for (let i = 0; i < sim.numRows; i++) expect(sim.getChild("similarItem")!.get(i)).not.toBe(sim.getChild("item")!.get(i));
    const manifest = JSON.parse(readFileSync(path.join(runDir, "manifest.json"), "utf8")) as { artefacts: { path: string }[]; inputs: { path: string }[] };
    expect(manifest.artefacts.map((a) => a.path)).toContain("similar-items.parquet");
    expect(manifest.inputs.map((x) => path.basename(x.path))).toEqual(["ratings.csv", "items.csv"]);
  });

  it("scores the model baseline with the same evaluators beside the built-in one", () => {
    const m = JSON.parse(readFileSync(path.join(runDir, "metrics.json"), "utf8")) as { baselines: Record<string, Record<string, number>> };
    expect(Object.keys(m.baselines).sort()).toEqual(["als-implicit", "most-popular"]);
    expect(Object.keys(m.baselines["als-implicit"]).sort()).toEqual(["expectedPercentileRank", "ndcgAtK@5"]);
    const report = readFileSync(path.join(runDir, "report.html"), "utf8");
    expect(report).toContain("als-implicit");
    expect(report).toMatch(/<span class="label">Film 1\d\d, the sequel<\/span>/);
  });

  it("recpipe compare lists each baseline's metrics, the model baseline's included", () => {
    const r = runCli(["compare", runDir, runDir], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ndcgAtK@5 \[als-implicit\]\s+\d\.\d+\s+\d\.\d+/);
    expect(r.stdout).toMatch(/expectedPercentileRank \[most-popular\]/);
    const listed = JSON.parse(runCli(["runs", runDir, "--json"], { cwd: dir }).stdout) as {
      runs: { params: Record<string, unknown>; baselines: Record<string, unknown> }[];
    };
    expect(listed.runs[0].params["baselines.als-implicit.pipeline.als.implicitPrefs"]).toBe(true);
    expect(listed.runs[0].params["baselines.most-popular"]).toBe("built-in");
    expect(Object.keys(listed.runs[0].baselines)).toContain("als-implicit");
  });

  it("recommend --model RUN-DIR finds the saved titles", () => {
    const r = runCli(["recommend", "--model", runDir, "--user", "1", "-k", "2", "--format", "csv"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const [header, ...lines] = r.stdout.trim().split("\n");
    expect(header).toBe("user,rank,item,rating,title");
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^1,\d,1\d\d,[-\d.e]+,("Film 1\d\d, the sequel"|)$/);
  });

  it("recommend --similar-items gives original ids, titles on both sides, and never the item itself", () => {
    const r = runCli(["recommend", "--model", path.join(runDir, "model"), "--similar-items", "101", "-k", "3", "--format", "json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      recommendations: { item: number; title: string; recommendations: { similarItem: number; score: number; similarTitle: string | null }[] }[];
    };
    expect(out.recommendations).toHaveLength(1);
    const [one] = out.recommendations;
    expect(one.item).toBe(101);
    expect(one.title).toBe("Film 101, the sequel");
    expect(one.recommendations).toHaveLength(3);
    for (const s of one.recommendations) {
      expect(s.similarItem).not.toBe(101);
      expect(s.score).toBeLessThanOrEqual(1.000001);
      expect(s.similarTitle).toBe(s.similarItem === 112 ? null : `Film ${s.similarItem}, the sequel`);
    }
    // The same lists the run wrote for item 101.
    const table = runCli(["recommend", "--model", runDir, "--similar-items", "101", "-k", "4", "--format", "csv"], { cwd: dir });
    expect(table.stdout.split("\n")[0]).toBe("item,rank,similarItem,score,title,similarTitle");
  });
});
