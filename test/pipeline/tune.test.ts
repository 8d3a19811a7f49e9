import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTable } from "../../src/io/read-table.js";
import { syntheticRatings } from "../../src/io/synthetic-ratings.js";
import { expandGrid } from "../../src/spec/param-grid.js";
import { run } from "../../src/run/run.js";
import { fitLog } from "../fixtures/plugins/fit-recorder.js";

const dir = mkdtempSync(join(tmpdir(), "recpipe-tune-"));
const { table } = syntheticRatings({ users: 150, items: 80, rank: 3, density: 0.3, noise: 0.2, mean: 3.5, skew: 0, preference: 0 }, 4);
const csv = join(dir, "ratings.csv");
{
  const u = table.getChild("user")!,
    i = table.getChild("item")!,
    r = table.getChild("rating")!,
    t = table.getChild("timestamp")!;
  const lines = ["user,item,rating,timestamp"];
  for (let k = 0; k < table.numRows; k++) lines.push(`${u.get(k)},${i.get(k)},${Number(r.get(k)).toFixed(3)},${t.get(k)}`);
  // Users with one early rating: in a validation fold they are unknown to the fitted model (cold start).
  for (let k = 0; k < 30; k++) lines.push(`lonely${k},i${k},3.0,1500000000`);
  writeFileSync(csv, lines.join("\n") + "\n");
}

function pipeline(extra: string, tune: string): string {
  const p = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    p,
    `name: tune-test
seed: 3
plugins: [${join(process.cwd(), "test/fixtures/plugins/fit-recorder.ts")}]
source: {path: ${csv}}
split: {type: temporal-split, timeCol: timestamp, weights: [0.8, 0.2]}
pipeline:
  - {type: fit-recorder, column: timestamp}
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, rank: 3, maxIter: 3, regParam: 0.05, coldStartStrategy: ${extra || "drop"}}
evaluate: [{type: regression-evaluator, metricName: rmse}]
tune:
${tune}
output: {dir: ${join(dir, "runs")}}
`,
  );
  return p;
}

const cv = (parallelism: number) => `  type: cross-validator
  numFolds: 3
  parallelism: ${parallelism}
  evaluator: {type: regression-evaluator, metricName: rmse}
  paramGrid: {als.rank: [2, 3], als.regParam: [0.01, 0.1, 1.0]}`;

describe("tuning", () => {
  it("expands the grid in PySpark's order: the last key varies fastest", () => {
    const maps = expandGrid([
      { stage: "als", param: "rank", values: [2, 3] },
      { stage: "als", param: "regParam", values: [0.1, 0.2, 0.3] },
    ]);
    expect(maps.map((m) => m.entries.map((e) => e.value))).toEqual([
      [2, 0.1],
      [2, 0.2],
      [2, 0.3],
      [3, 0.1],
      [3, 0.2],
      [3, 0.3],
    ]);
  });

  it("never fits on the test split: every fit during tuning and the refit see only the training period", async () => {
    fitLog.length = 0;
    const res = await run(pipeline("", cv(1)), { workers: 1, allowPlugins: true });
    const all = await readTable(csv, {});
    const ts = Float64Array.from(all.getChild("timestamp")!.toArray() as Int32Array).sort();
    const cutoff = ts[Math.floor(ts.length * 0.8)];
    // 3 folds x 6 param maps, then the refit on all of train.
    expect(fitLog).toHaveLength(3 * 6 + 1);
    for (const f of fitLog) expect(f.max).toBeLessThan(cutoff);
    const trainRows = fitLog[fitLog.length - 1].rows;
    for (const f of fitLog.slice(0, -1)) expect(f.rows).toBeLessThan(trainRows);
    expect(res.tune!.paramMaps).toBe(6);
    expect(res.tune!.avgMetrics).toHaveLength(6);
    const best = res.tune!.avgMetrics.indexOf(Math.min(...res.tune!.avgMetrics));
    expect(res.tune!.best).toEqual(res.tune!.grid[best]);
  });

  it("gives the same results with parallelism 1 and 2", async () => {
    const a = await run(pipeline("", cv(1)), { workers: 2, allowPlugins: true });
    const b = await run(pipeline("", cv(2)), { workers: 2, allowPlugins: true });
    expect(b.tune!.avgMetrics).toEqual(a.tune!.avgMetrics);
    expect(b.tune!.stdMetrics).toEqual(a.tune!.stdMetrics);
    expect(b.metrics).toEqual(a.metrics);
    const metrics = JSON.parse(readFileSync(join(b.runDir, "metrics.json"), "utf8")) as { tune: { best: unknown } };
    expect(metrics.tune.best).toEqual(a.tune!.best);
  });

  it("writes tuning.parquet with params, fold metrics, mean, std and rank", async () => {
    const r = await run(
      pipeline("", "  type: train-validation-split\n  trainRatio: 0.7\n  evaluator: {type: regression-evaluator}\n  paramGrid: {als.regParam: [0.01, 1.0]}"),
      { workers: 1, allowPlugins: true },
    );
    const t = await readTable(join(r.runDir, "tuning.parquet"), {});
    expect(t.schema.fields.map((f) => f.name)).toEqual(["paramMap", "als.regParam", "fold0", "mean_rmse", "std_rmse", "position", "error"]);
    expect(t.numRows).toBe(2);
    expect([...t.getChild("position")!].sort()).toEqual([1, 2]);
  });

  it("reports NaN metrics and never picks them", async () => {
    // coldStartStrategy nan: validation folds hold users unseen in the fit folds, so rmse is NaN for every map.
    await expect(
      run(pipeline("nan", cv(1).replace("paramGrid: {als.rank: [2, 3], als.regParam: [0.01, 0.1, 1.0]}", "paramGrid: {als.rank: [2]}")), {
        workers: 1,
        allowPlugins: true,
      }),
    ).rejects.toThrow(/every param map scored NaN on rmse.*coldStartStrategy: drop/);
  });

  it("tunes a feature stage's param and fixes others with baseOn (PySpark's ParamGridBuilder.baseOn: one-value entries first)", async () => {
    const r = await run(
      pipeline(
        "",
        "  type: train-validation-split\n  evaluator: {type: regression-evaluator}\n  baseOn: {als.maxIter: 2}\n  paramGrid: {string-indexer.handleInvalid: [keep, skip]}",
      ),
      { workers: 1, allowPlugins: true },
    );
    expect(r.tune!.grid).toEqual([
      { "als.maxIter": 2, "string-indexer.handleInvalid": "keep" },
      { "als.maxIter": 2, "string-indexer.handleInvalid": "skip" },
    ]);
    const t = await readTable(join(r.runDir, "tuning.parquet"), {});
    expect(t.schema.fields.map((f) => f.name).slice(0, 3)).toEqual(["paramMap", "als.maxIter", "string-indexer.handleInvalid"]);
    // The resolved copy inlines baseOn as one-value grid entries, so reproducing it runs the same maps.
    const resolved = readFileSync(join(r.runDir, "pipeline.yaml"), "utf8");
    expect(resolved).not.toMatch(/baseOn/);
    expect(resolved).toMatch(/als\.maxIter:\s*\n\s*- 2/);
    await expect(
      run(pipeline("", "  type: train-validation-split\n  evaluator: {type: regression-evaluator}\n  baseOn: {als.rank: 2}\n  paramGrid: {als.rank: [2, 3]}"), {
        workers: 1,
        allowPlugins: true,
      }),
    ).rejects.toThrow(/tune\.baseOn\.als\.rank is also a paramGrid key/);
  });
});
