import { describe, expect, it } from "vitest";
import { runNotes } from "../../src/run/run-notes.js";
import { tuningVerdicts } from "../../src/run/tuning-verdicts.js";
import { flattenPipeline } from "../../src/runs/run-summary.js";
import { gainsOverBaselines } from "../../src/runs/list-runs.js";

describe("tuningVerdicts", () => {
  const grid = [
    { "als.rank": 8, "als.regParam": 0.01 },
    { "als.rank": 8, "als.regParam": 0.1 },
    { "als.rank": 16, "als.regParam": 0.01 },
    { "als.rank": 16, "als.regParam": 0.1 },
  ];
  it("flags a best value at the edge of the grid with the direction to extend it", () => {
    const v = tuningVerdicts({ grid, avgMetrics: [0.9, 0.95, 0.85, 0.99], stdMetrics: [0.01, 0.01, 0.01, 0.01], best: grid[2] });
    expect(v.edges.map((e) => e.message)).toEqual([
      "best als.rank=16 is the largest value tried: extend the grid above 16",
      "best als.regParam=0.01 is the smallest value tried: extend the grid below 0.01",
    ]);
    expect(v.indistinguishable).toEqual([]);
  });
  it("an interior best is not flagged; means within one std of the best are", () => {
    const g = [{ "als.regParam": 0.01 }, { "als.regParam": 0.1 }, { "als.regParam": 1 }];
    const v = tuningVerdicts({ grid: g, avgMetrics: [0.905, 0.9, 0.95], stdMetrics: [0.02, 0.01, 0.02], best: g[1] });
    expect(v.edges).toEqual([]);
    expect(v.indistinguishable).toEqual([0]);
  });
});

describe("runNotes", () => {
  it("names the baseline the model loses to, with both values, and stays quiet when the model wins", () => {
    const notes = runNotes({
      modelName: "als",
      testRows: 10,
      splitType: "random-split",
      metrics: { rmse: 1.197, "ndcgAtK@10": 0.2 },
      baselines: { "global-mean": { rmse: 0.873 }, "bias-baseline": { rmse: 0.95 }, "most-popular": { "ndcgAtK@10": 0.1 } },
      largerIsBetter: { rmse: false, "ndcgAtK@10": true },
    });
    expect(notes).toEqual(["als scores WORSE than the global-mean baseline on rmse: 1.1970 vs 0.8730 (lower is better); also worse than bias-baseline"]);
  });
});

describe("run listing helpers", () => {
  it("flattens stages by name so a param lines up across runs", () => {
    expect(
      flattenPipeline({
        seed: 1,
        pipeline: [
          { type: "string-indexer", inputCol: "u" },
          { type: "als", name: "mf", rank: 8 },
        ],
        split: { type: "none" },
      }),
    ).toEqual({
      seed: 1,
      "pipeline.string-indexer.type": "string-indexer",
      "pipeline.string-indexer.inputCol": "u",
      "pipeline.mf.type": "als",
      "pipeline.mf.rank": 8,
      "split.type": "none",
    });
  });
  it("gain over the best baseline is signed so positive is better, for either direction", () => {
    const g = gainsOverBaselines({
      dir: "",
      run: "",
      status: "complete",
      createdAt: "",
      params: {},
      metrics: { rmse: 0.8, ndcg: 0.3 },
      baselines: { a: { rmse: 1.0, ndcg: 0.2 }, b: { rmse: 0.9, ndcg: 0.1 } },
      largerIsBetter: { rmse: false, ndcg: true },
    });
    expect(g.rmse.baseline).toBe("b");
    expect(g.rmse.gain).toBeCloseTo(0.1 / 0.9, 12);
    expect(g.ndcg.baseline).toBe("a");
    expect(g.ndcg.gain).toBeCloseTo(0.5, 12);
  });
});
