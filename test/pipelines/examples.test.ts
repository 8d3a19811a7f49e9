import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import { readTable } from "../../src/io/read-table.js";
import { loadModel } from "../../src/model/load-model.js";
import { recommendFromModel } from "../../src/model/recommend-from-model.js";
import { run, type RunResult } from "../../src/run/run.js";
import { sharedDataDir, sharedDataPresent } from "../shared-data.js";
import { writeAmazonReviews, writeKuaiRecSmallMatrix, writeLastfmUserArtists, writeMovieLensUData } from "./example-fixtures.js";

/**
 * Every pipeline in pipelines/ runs here: on a generated fixture shaped like its real data (the real data is not in
 * the repository), and, where /work/shared holds the real data, on that too with plausibility checks on the metrics.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pipelinesDir = path.join(repoRoot, "pipelines");
const sharedData = sharedDataDir;
const tmp = mkdtempSync(path.join(os.tmpdir(), "recpipe-examples-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Fewer ALS sweeps and folds keep the file fast; the grids and everything else stay as written.
const FAST_ALS = ["pipeline.als.maxIter=3"];
const FAST_CV = [...FAST_ALS, "tune.numFolds=2"];

interface FixtureRun {
  /** Writes the fixture into `dir` and returns its path, for `--set source.path=`. */
  write?: (dir: string) => string;
  set: string[];
  check?: (r: RunResult) => Promise<void> | void;
}

/** How each example runs without its real data. A new file in pipelines/ must add an entry (the first test says so). */
const fixtureRuns: Record<string, FixtureRun> = {
  "quickstart.yaml": { set: ["source.users=300", "source.items=200", "source.density=0.1"] },
  "movielens-100k.yaml": { write: writeMovieLensUData, set: FAST_ALS },
  "movielens-100k-cv.yaml": { write: writeMovieLensUData, set: FAST_CV, check: (r) => expect(r.tune?.paramMaps).toBeGreaterThanOrEqual(6) },
  "movielens-100k-item-knn.yaml": {
    write: writeMovieLensUData,
    set: ["tune.numFolds=2"],
    check: (r) => expect(r.tune?.paramMaps).toBe(6),
  },
  "lastfm-implicit.yaml": { write: writeLastfmUserArtists, set: FAST_ALS },
  "lastfm-implicit-cv.yaml": { write: writeLastfmUserArtists, set: FAST_CV, check: (r) => expect(r.tune?.metric).toBe("ndcgAtK@10") },
  "kuairec-small-als.yaml": {
    write: writeKuaiRecSmallMatrix,
    set: FAST_ALS,
    // The notebook's cleaning: each step removes what the fixture planted (missing timestamps, copies, negatives).
    check(r) {
      const rows = r.prepare!.map((f) => f.rows);
      expect(r.prepare!.map((f) => f.type ?? f.step)).toEqual(["source", "drop-na", "drop-duplicates", "sql-transformer"]);
      expect(rows[0]).toBe(60 * 50 + 25);
      for (let k = 1; k < rows.length; k++) expect(rows[k], `${r.prepare![k].type} removes rows`).toBeLessThan(rows[k - 1]);
      expect(r.prepare!.at(-1)!.duplicatePairs).toBe(0);
    },
  },
  "amazon-instruments-implicit.yaml": {
    write: (dir) => writeAmazonReviews(dir, true),
    set: ["pipeline.als.maxIter=3"],
    check(r) {
      const f = r.prepare!;
      expect(f.map((s) => s.type ?? s.step)).toEqual(["source", "drop-na", "drop-duplicates", "min-count-filter", "binarizer"]);
      expect(f[0].rows - f[1].rows).toBe(15); // the "N/A" ratings
      expect(f[1].duplicatePairs).toBeGreaterThan(0);
      expect(f[2].duplicatePairs).toBe(0);
      expect(f[2].users! - f[3].users!).toBeGreaterThanOrEqual(6); // the 2-review reviewers fall to the 5-core
      expect(r.notes.join(" ")).not.toMatch(/repeat an earlier/);
    },
  },
  "amazon-instruments-als.yaml": {
    write: writeAmazonReviews,
    set: [],
    // recommendForAllUsers(20) mapped back to the original string ids: what seed 000 needed pandas for.
    async check(r) {
      const recs = await readTable(path.join(r.runDir, "recommendations.parquet"));
      expect(recs.schema.fields.map((f) => f.name)).toEqual(["reviewerID", "rank", "asin", "rating"]);
      expect(String(recs.getChild("reviewerID")!.get(0))).toMatch(/^A[A-Z0-9]{12,}/);
      expect(String(recs.getChild("asin")!.get(0))).toMatch(/^(B000|\d{10})/);
      expect(Math.max(...Array.from(recs.getChild("rank")!.toArray() as Int32Array))).toBe(20);
      // The saved model answers for an original id with the same list (the run did not exclude seen items either).
      const user = String(recs.getChild("reviewerID")!.get(0));
      const fromModel = await recommendFromModel(await loadModel(path.join(r.runDir, "model")), { users: [user], k: 3 }, quietContext({ workers: 2 }));
      expect([fromModel.userCol, fromModel.itemCol]).toEqual(["reviewerID", "asin"]);
      expect(fromModel.users[0].items.map((i) => i.item)).toEqual([0, 1, 2].map((j) => String(recs.getChild("asin")!.get(j))));
    },
  },
};

async function runExample(file: string, set: string[]): Promise<RunResult> {
  return run(path.join(pipelinesDir, file), { set, outDir: path.join(tmp, "runs"), workers: 2 });
}

describe("example pipelines on fixtures shaped like their data", () => {
  const files = readdirSync(pipelinesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

  it("every file in pipelines/ has a fixture run", () => {
    expect(files.filter((f) => !(f in fixtureRuns))).toEqual([]);
  });

  for (const file of files) {
    const spec = fixtureRuns[file];
    if (!spec) continue;
    it(file, async () => {
      const set = [...spec.set];
      if (spec.write) set.push(`source.path=${JSON.stringify(spec.write(mkdtempSync(path.join(tmp, "data-"))))}`);
      const r = await runExample(file, set);
      const values = Object.values(r.metrics);
      expect(values.length).toBeGreaterThan(0);
      for (const [k, v] of Object.entries(r.metrics)) expect(Number.isFinite(v), `${file}: ${k} = ${v}`).toBe(true);
      expect(existsSync(path.join(r.runDir, "model", "metadata"))).toBe(true);
      await spec.check?.(r);
    });
  }
});

const ml100k = path.join(sharedData, "movielens-100k", "u.data");
const mlLatestSmall = path.join(sharedData, "movielens-latest-small", "ratings.csv");
const lastfm = path.join(sharedData, "lastfm-hetrec2011-2k", "user_artists.dat");
const haveShared = sharedDataPresent([ml100k, mlLatestSmall, lastfm], "the real-data cases of examples.test.ts");

/** Implicit ALS must beat recommending the most popular artists on every ranking metric it reports. */
function expectAboveMostPopular(r: RunResult): void {
  const popular = r.baselines["most-popular"];
  for (const key of ["precisionAtK@10", "ndcgAtK@10"]) {
    expect(r.metrics[key], key).toBeGreaterThan(popular[key]);
  }
}

describe.runIf(haveShared)("example pipelines on the real data in ../shared/data", () => {
  it("movielens-100k.yaml: RMSE in [0.85, 0.97] on ml-100k", async () => {
    const r = await runExample("movielens-100k.yaml", [`source.path=${JSON.stringify(ml100k)}`]);
    expect(r.metrics.rmse).toBeGreaterThanOrEqual(0.85);
    expect(r.metrics.rmse).toBeLessThanOrEqual(0.97);
    expect(r.metrics.rmse).toBeLessThan(r.baselines["global-mean"].rmse);
  });

  it("movielens-100k.yaml on ml-latest-small (csv with header, half-star ratings): RMSE plausible", async () => {
    const r = await runExample("movielens-100k.yaml", [`source.path=${JSON.stringify(mlLatestSmall)}`, "source.format=csv", "source.header=true"]);
    expect(r.metrics.rmse).toBeGreaterThan(0.8);
    expect(r.metrics.rmse).toBeLessThan(1.0);
    expect(r.metrics.rmse).toBeLessThan(r.baselines["global-mean"].rmse);
  });

  it("movielens-100k-cv.yaml: picks a map from a >= 6-map grid, test RMSE in [0.85, 0.97]", async () => {
    const r = await runExample("movielens-100k-cv.yaml", [`source.path=${JSON.stringify(ml100k)}`, "tune.numFolds=2", "pipeline.als.maxIter=5"]);
    expect(r.tune?.paramMaps).toBe(6);
    expect(r.tune?.failedTrials).toBe(0);
    expect(r.metrics.rmse).toBeGreaterThanOrEqual(0.85);
    expect(r.metrics.rmse).toBeLessThanOrEqual(0.97);
  });

  it("movielens-100k-item-knn.yaml: nDCG@10 well above the most-popular baseline on ml-100k", async () => {
    const r = await runExample("movielens-100k-item-knn.yaml", [
      `source.path=${JSON.stringify(ml100k)}`,
      "tune.numFolds=2",
      "tune.paramGrid={item-knn.k: [50], item-knn.weighting: [none, bm25]}",
    ]);
    expect(r.tune?.failedTrials).toBe(0);
    expect(r.metrics["ndcgAtK@10"]).toBeGreaterThan(1.5 * r.baselines["most-popular"]["ndcgAtK@10"]);
  });

  it("lastfm-implicit.yaml: precision@10 and nDCG@10 above the most-popular baseline", async () => {
    const r = await runExample("lastfm-implicit.yaml", [`source.path=${JSON.stringify(lastfm)}`]);
    expectAboveMostPopular(r);
  });

  it("lastfm-implicit-cv.yaml: search ranked by nDCG@10, result above most-popular", async () => {
    // Two maps and two folds keep it quick; the full 6-map grid runs on the fixture above.
    const r = await runExample("lastfm-implicit-cv.yaml", [
      `source.path=${JSON.stringify(lastfm)}`,
      "tune.numFolds=2",
      "pipeline.als.maxIter=3",
      "tune.paramGrid={als.alpha: [0.01], als.regParam: [0.1, 10.0]}",
    ]);
    expect(r.tune?.metric).toBe("ndcgAtK@10");
    expect(r.tune?.isLargerBetter).toBe(true);
    expect(r.tune?.best).toEqual({ "als.alpha": 0.01, "als.regParam": 0.1 });
    expectAboveMostPopular(r);
  });
});
