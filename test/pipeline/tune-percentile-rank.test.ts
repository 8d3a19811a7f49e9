import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/run/run.js";

/** expectedPercentileRank as a tuning metric: lower is better, so the best param map is the one with the lowest mean. */
describe("tuning on expectedPercentileRank", () => {
  it("picks the param map with the lowest mean and keeps the direction in the summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "recpipe-epr-tune-"));
    const file = join(dir, "p.yaml");
    writeFileSync(
      file,
      `name: epr-tune
seed: 5
source: {type: synthetic-ratings, users: 120, items: 60, rank: 3, density: 0.2, noise: 0.2}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, coldStartStrategy: drop, ratingCol: rating, maxIter: 3, implicitPrefs: true}
evaluate:
  - {type: ranking-evaluator, metricName: expectedPercentileRank, relevanceThreshold: 0}
tune:
  type: train-validation-split
  evaluator: {type: ranking-evaluator, metricName: expectedPercentileRank, relevanceThreshold: 0}
  paramGrid: {als.rank: [1, 4], als.regParam: [0.01, 10]}
output: {dir: runs}
`,
    );
    const res = await run(file, { workers: 1 });
    const t = res.tune!;
    expect(t.metric).toBe("expectedPercentileRank");
    expect(t.isLargerBetter).toBe(false);
    expect(t.bestMetric).toBe(Math.min(...t.avgMetrics));
    expect(t.bestMetric).toBeGreaterThan(0);
    expect(t.bestMetric).toBeLessThan(0.5);
    expect(res.metrics.expectedPercentileRank).toBeGreaterThan(0);
    expect(res.metrics.expectedPercentileRank).toBeLessThan(1);
    // The grid's maps differ, so choosing the minimum is a real choice (a larger-is-better slip would pick another).
    expect(Math.max(...t.avgMetrics)).toBeGreaterThan(t.bestMetric);
  }, 60_000);
});
