/** Every run shows the baselines beside the model; one that is left out says why (never silently missing). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/run/run.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-baselines-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runLogged(pipeline: string): Promise<{ logs: string[]; warnings: string[]; baselines: string[] }> {
  const file = path.join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `name: b\nsource: {type: synthetic-ratings, users: 60, items: 40, rank: 2, density: 0.3}\n${pipeline}`);
  const logs: string[] = [];
  const warnings: string[] = [];
  const r = await run(file, { outDir: path.join(dir, "runs"), workers: 1, log: (m) => logs.push(m), warn: (m) => warnings.push(m) });
  return { logs, warnings, baselines: Object.keys(r.baselines) };
}

describe("baselines left out", () => {
  it("a pipeline without a recommender and regression metrics: bias-baseline needs user and item columns, most-popular predicts no ratings", async () => {
    const r = await runLogged("pipeline:\n  - {type: global-mean}\n");
    expect(r.baselines).toEqual(["global-mean"]);
    expect(r.logs).toContainEqual(
      expect.stringMatching(/^baseline bias-baseline left out: it needs user and item columns, and the pipeline has no recommender/),
    );
    expect(r.logs).toContainEqual(
      expect.stringMatching(/^baseline most-popular left out: it ranks items but predicts no ratings, and the run has no ranking evaluator/),
    );
  });

  it("regression metrics only: most-popular says it predicts no ratings", async () => {
    const r = await runLogged(
      "pipeline:\n  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}\n  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 2, coldStartStrategy: drop}\n",
    );
    expect(r.baselines).toEqual(["global-mean", "bias-baseline"]);
    // Not even fitted: it could give none of the run's metrics.
    expect(r.logs).toContainEqual(
      expect.stringMatching(/^baseline most-popular left out: it ranks items but predicts no ratings, and the run has no ranking evaluator/),
    );
  });

  it("a tuned run says why a baseline is left out once, not once per fold and again for the test set", async () => {
    const r = await runLogged(
      "pipeline:\n  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}\n  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 2, coldStartStrategy: drop}\n" +
        "evaluate:\n  - {type: regression-evaluator, metricName: rmse}\n" +
        "tune: {type: cross-validator, numFolds: 3, evaluator: {type: regression-evaluator, metricName: rmse}, paramGrid: {als.regParam: [0.1, 1]}}\n",
    );
    expect(r.logs.filter((l) => l.startsWith("baseline most-popular left out"))).toHaveLength(1);
  });
});
