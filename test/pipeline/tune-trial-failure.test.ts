import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { readParquetBytes } from "../../src/io/parquet-codec.js";
import { run } from "../../src/run/run.js";
import { PIPELINE, RATINGS_CSV } from "../bad-inputs/fixtures.js";

/**
 * Nothing lost: a grid value that passes validation but makes the fit fail (ALS ratingCol pointing at the text column
 * `user`) fails its trials only. The failure is reported with its params (warning, summary, tuning.parquet) and the
 * other param map's results are kept and win.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-tune-fail-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a failing CV trial", () => {
  it("is reported with its params while the other trials' results are kept", async () => {
    writeFileSync(path.join(dir, "ratings.csv"), RATINGS_CSV);
    writeFileSync(
      path.join(dir, "p.yaml"),
      PIPELINE +
        `tune:
  type: cross-validator
  numFolds: 2
  evaluator: {type: regression-evaluator, metricName: rmse}
  paramGrid:
    als.ratingCol: [rating, user]
`,
    );
    const warnings: string[] = [];
    const result = await run(path.join(dir, "p.yaml"), { outDir: path.join(dir, "runs"), workers: 1, warn: (m) => warnings.push(m) });

    const tune = result.tune!;
    expect(tune.failedTrials).toBe(2);
    expect(Number.isFinite(tune.avgMetrics[0])).toBe(true);
    expect(tune.avgMetrics[1]).toBeNaN();
    expect(tune.best).toEqual({ "als.ratingCol": "rating" });
    expect(tune.failures).toHaveLength(1);
    expect(tune.failures[0].params).toEqual({ "als.ratingCol": "user" });
    expect(tune.failures[0].errors).toEqual([
      expect.stringMatching(/^fold 0: .*column "user" must be numeric/),
      expect.stringMatching(/^fold 1: .*column "user" must be numeric/),
    ]);
    expect(warnings.filter((w) => w.includes('als.ratingCol="user"'))).toHaveLength(2);

    const table = readParquetBytes(readFileSync(path.join(result.runDir, "tuning.parquet")));
    const rows = [...table].map((r) => r.toJSON() as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    expect(rows[0]["als.ratingCol"]).toBe("rating");
    expect(rows[0].error).toBeNull();
    expect(Number.isFinite(rows[0].fold0) && Number.isFinite(rows[0].fold1)).toBe(true);
    expect(rows[1]["als.ratingCol"]).toBe("user");
    expect(rows[1].fold0).toBeNaN();
    expect(String(rows[1].error)).toMatch(/fold 0: .*must be numeric.*; fold 1: /);
    expect(rows[1].position).toBe(2);
  });

  it("that hits a bug (a TypeError, not an input error) fails the run instead of ranking last", async () => {
    const plugin = path.join(process.cwd(), "test/fixtures/plugins/crashing-estimator.ts");
    writeFileSync(path.join(dir, "ratings.csv"), RATINGS_CSV);
    writeFileSync(
      path.join(dir, "crash.yaml"),
      PIPELINE.replace("pipeline:\n", "pipeline:\n  - {type: crashing-estimator, name: crash}\n") +
        `plugins: [${plugin}]
tune:
  type: cross-validator
  numFolds: 2
  evaluator: {type: regression-evaluator, metricName: rmse}
  paramGrid:
    crash.crash: [false, true]
`,
    );
    const failure = await run(path.join(dir, "crash.yaml"), { outDir: path.join(dir, "runs"), workers: 1, allowPlugins: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).not.toBeInstanceOf(InputError);
    expect((failure as Error).message).toContain("reading 'length'");
  });
});
