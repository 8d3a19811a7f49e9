import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTable } from "../../src/io/read-table.js";
import { runCli, runCliAsync } from "./run-cli.js";

/** A model for production and results at a glance: split none, refit all, item -> users, setters at use, notes. */
const out = mkdtempSync(join(tmpdir(), "recpipe-loop-"));
const small = ["--set", "source.users=300", "--set", "source.items=200", "--quiet", "--json", "--workers", "1", "--out", out];
type RunJson = { runDir: string; metrics: Record<string, number>; trainMetrics: Record<string, number>; baselines: Record<string, unknown>; notes: string[] };

async function quickstart(...sets: string[]): Promise<RunJson> {
  const r = await runCliAsync(["run", "pipelines/quickstart.yaml", ...sets.flatMap((s) => ["--set", s]), ...small]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RunJson;
}

describe("split: {type: none}", () => {
  it("trains on every row, computes no test metrics and says so; model and recommendations as usual", async () => {
    const j = await quickstart("split={type: none}");
    expect(j.metrics).toEqual({});
    expect(j.baselines).toEqual({});
    expect(j.notes[0]).toMatch(/split: \{type: none\} trains on every row: there is no test set, so no test metrics/);
    expect(Object.keys(j.trainMetrics)).toEqual(["rmse", "mae"]);
    expect(existsSync(join(j.runDir, "model", "metadata", "part-00000"))).toBe(true);
    const recs = await readTable(join(j.runDir, "recommendations.parquet"), {});
    expect(recs.numRows).toBeGreaterThan(0);
    const report = readFileSync(join(j.runDir, "report.html"), "utf8");
    expect(report).toMatch(/Read this first.*there is no test set/s);
    const metrics = JSON.parse(readFileSync(join(j.runDir, "metrics.json"), "utf8")) as { notes: string[] };
    expect(metrics.notes).toEqual(j.notes);
  }, 60_000);
});

describe("results at a glance", () => {
  it("says plainly when the model scores worse than a baseline, and shows the train error beside the test error", async () => {
    // 300 users with rank 4 and regParam 0.03 over-fits badly: ALS loses to the global mean.
    const j = await quickstart("pipeline.als.rank=4");
    expect(j.metrics.rmse).toBeGreaterThan((j.baselines as Record<string, Record<string, number>>)["global-mean"].rmse);
    expect(j.notes.join("\n")).toMatch(/als scores WORSE than the (global-mean|bias-baseline) baseline on rmse: \d+\.\d{4} vs \d+\.\d{4} \(lower is better\)/);
    expect(j.trainMetrics.rmse).toBeLessThan(j.metrics.rmse);
    const report = readFileSync(join(j.runDir, "report.html"), "utf8");
    // The note comes before any other section.
    expect(report.indexOf("scores WORSE than")).toBeGreaterThan(0);
    expect(report.indexOf("scores WORSE than")).toBeLessThan(report.indexOf('<section id="data"'));
    expect(report).toMatch(/als \(train\)/);
    const text = runCli(["run", "pipelines/quickstart.yaml", "--set", "pipeline.als.rank=4", ...small.filter((a) => a !== "--json")]);
    expect(text.stdout).toMatch(/NOTE: als scores WORSE than/);
    expect(text.stdout).toMatch(/metric\s+test\s+train\s+global-mean/);
  }, 60_000);
});

describe("recommend for items", () => {
  it("recommend: {items: all} writes the top users per item; recpipe recommend --item asks a saved model, also from the run directory", async () => {
    const j = await quickstart("recommend={k: 3, items: all}");
    expect(existsSync(join(j.runDir, "recommendations.parquet"))).toBe(false);
    const t = await readTable(join(j.runDir, "item-recommendations.parquet"), {});
    expect(t.schema.fields.map((f) => f.name)).toEqual(["item", "rank", "user", "rating"]);
    const item = String(t.getChild("item")!.get(0));
    const firstThree = [0, 1, 2].map((i) => String(t.getChild("user")!.get(i)));
    // The run directory stands for its model/.
    for (const model of [join(j.runDir, "model"), j.runDir]) {
      const r = runCli(["recommend", "--model", model, "--item", item, "-k", "3", "--format", "json"]);
      expect(r.code, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout) as { recommendations: { item: string; recommendations: { user: string; rating: number }[] }[] };
      expect(got.recommendations[0].item).toBe(item);
      // The saved model gives the run's lists except for excludeSeen (the CLI excludes only with --exclude-seen FILE).
      expect(got.recommendations[0].recommendations).toHaveLength(3);
    }
    const unknown = runCli(["recommend", "--model", j.runDir, "--item", "no-such-item"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--item no-such-item: the model does not know this item/);
    expect(runCli(["recommend", "--model", j.runDir, "--item", item, "--all"]).code).toBe(2);
    expect(firstThree).toHaveLength(3);
  }, 60_000);
});

describe("recpipe predict --set", () => {
  it("sets a saved model's prediction params at use, as Spark's setters do", async () => {
    const j = await quickstart();
    const input = join(out, "pairs.csv");
    writeFileSync(input, "user,item,rating\nu0,i0,1\nnobody,i0,1\n");
    const drop = runCli(["predict", "--model", join(j.runDir, "model"), "--input", input]);
    expect(drop.code, drop.stderr).toBe(0);
    expect(drop.stdout.trim().split("\n")).toHaveLength(2); // coldStartStrategy drop (as fitted): the unknown user is dropped
    const nan = runCli(["predict", "--model", join(j.runDir, "model"), "--input", input, "--set", "coldStartStrategy=nan", "--set", "predictionCol=score"]);
    expect(nan.code, nan.stderr).toBe(0);
    const lines = nan.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/,score$/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/NaN$/);
    const bad = runCli(["predict", "--model", join(j.runDir, "model"), "--input", input, "--set", "rank=3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no stage of the model lets "rank" be set at use; settable: als: userCol, itemCol, predictionCol, coldStartStrategy, blockSize/);
    const badValue = runCli(["predict", "--model", join(j.runDir, "model"), "--input", input, "--set", "coldStartStrategy=sometimes"]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/coldStartStrategy/);
  }, 60_000);
});

describe("tune.refit: all", () => {
  it("scores the best params fitted on train, then saves a model refitted on every row", async () => {
    const tune = "tune={type: train-validation-split, evaluator: {type: regression-evaluator}, paramGrid: {als.regParam: [0.1, 0.3]}, refit: all}";
    const j = await quickstart(tune);
    const k = await quickstart(tune.replace("refit: all", "refit: train"));
    expect(j.metrics).toEqual(k.metrics);
    expect(j.notes.join("\n")).toMatch(/tune\.refit: all: .*refitted on all [\d,]+ rows/);
    const users = async (dir: string) =>
      (await readTable(join(dir, "model", "bestModel", "stages", readdirSync(join(dir, "model", "bestModel", "stages"))[1], "userFactors"), {})).numRows;
    // Every user with a rating is in the refitted model; the train-only model misses users whose ratings all went to test.
    expect(await users(j.runDir)).toBeGreaterThanOrEqual(await users(k.runDir));
    expect(await users(j.runDir)).toBe(300);
  }, 120_000);
});

describe("collectSubModels", () => {
  it("true is refused with a message saying why and what to do (recpipe keeps no sub-models)", () => {
    const r = runCli([
      "validate",
      "pipelines/quickstart.yaml",
      "--set",
      "tune={type: cross-validator, evaluator: {type: regression-evaluator}, paramGrid: {als.rank: [2]}, collectSubModels: true}",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tune\.collectSubModels true is not supported: recpipe does not keep .* Remove the key or set it to false; got true/);
    const ok = runCli([
      "validate",
      "pipelines/quickstart.yaml",
      "--set",
      "tune={type: cross-validator, evaluator: {type: regression-evaluator}, paramGrid: {als.rank: [2]}, collectSubModels: false}",
    ]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe("--set source.path with another extension", () => {
  it("says which --set source.format/header to add when the file's block sets format explicitly", () => {
    const r = runCli(["validate", "pipelines/movielens-100k.yaml", "--set", "source.path=ratings.csv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--set source\.path=ratings\.csv: the pipeline file's source says format: tsv, but "ratings\.csv" is named like csv; add --set source\.format=csv \(and --set source\.header=true if its first line names the columns\)/,
    );
  });
});

describe("runs started in the same second", () => {
  it("each completes in a directory of its own (-2, -3, ...), none exits 2", async () => {
    const folder = mkdtempSync(join(tmpdir(), "recpipe-same-second-"));
    const tiny = join(folder, "tiny.yaml");
    writeFileSync(
      tiny,
      "name: tiny\nseed: 1\nsource: {type: synthetic-ratings, users: 30, items: 20, rank: 2, density: 0.3}\n" +
        "pipeline:\n  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i]}\n  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 2, coldStartStrategy: drop}\n" +
        "evaluate:\n  - {type: regression-evaluator, metricName: rmse}\noutput: {dir: runs}\n",
    );
    // Take every plain name of the next two minutes, so even runs that finish in different seconds contend for -2.
    const p = (n: number) => String(n).padStart(2, "0");
    for (let s = 0; s < 120; s++) {
      const d = new Date(Date.now() + s * 1000);
      const taken = join(
        folder,
        "runs",
        `tiny-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`,
      );
      mkdirSync(taken, { recursive: true });
      writeFileSync(join(taken, "not-a-run"), "");
    }
    const results = await Promise.all([1, 2, 3, 4].map((seed) => runCliAsync(["run", tiny, "--set", `seed=${seed}`, "--json", "--quiet", "--workers", "1"])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const dirs = results.map((r) => (JSON.parse(r.stdout) as RunJson).runDir);
    expect(new Set(dirs).size).toBe(4);
    for (const [i, d] of dirs.entries()) {
      expect(d).toMatch(/tiny-\d{8}-\d{6}-\d+$/);
      // Each directory holds its own run (its seed), complete.
      const manifest = JSON.parse(readFileSync(join(d, "manifest.json"), "utf8")) as { seed: number };
      expect(manifest.seed).toBe(i + 1);
    }
    const listed = JSON.parse(runCli(["runs", join(folder, "runs"), "--json"]).stdout) as { runs: { dir: string; status: string }[] };
    for (const d of dirs) expect(listed.runs.find((x) => x.dir === d)?.status).toBe("complete");
  }, 120_000);
});

describe("Cholesky where cg is several times faster", () => {
  it("an implicit rank >= 32 run on the default solver says so once, with the measured factor; cg or a low rank says nothing", async () => {
    const implicit = ["pipeline.als.implicitPrefs=true", "pipeline.als.rank=32", "pipeline.als.maxIter=2"];
    const j = await quickstart(...implicit);
    const said = j.notes.filter((n) => /solver cholesky/.test(n));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^als solves implicit feedback at rank 32 with solver cholesky \(Spark's, the default\); solver cg fitted about 2\.5x faster \(2\.3-2\.8x at rank 64, 3M-25M ratings, BENCHMARKS\.md\).*--set pipeline\.als\.solver=cg/,
    );
    expect((await quickstart(...implicit, "pipeline.als.solver=cg")).notes.join("\n")).not.toMatch(/solver cholesky/);
    expect((await quickstart(...implicit, "pipeline.als.rank=16")).notes.join("\n")).not.toMatch(/solver cholesky/);
    const text = runCli(["run", "pipelines/quickstart.yaml", ...implicit.flatMap((s) => ["--set", s]), ...small.filter((a) => a !== "--json")]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.match(/NOTE: .*solver cholesky.*about 2\.5x faster/g)).toHaveLength(1);
  }, 120_000);
});

describe("report: the USERS card", () => {
  it("counts every user of the data, not only those with a training rating", async () => {
    const folder = mkdtempSync(join(tmpdir(), "recpipe-users-card-"));
    // 20 users with 10 ratings each, then one user whose only rating is the latest: a cut by time puts it in test.
    const lines = ["user,item,rating,timestamp"];
    for (let u = 0; u < 20; u++) for (let i = 0; i < 10; i++) lines.push(`u${u},i${(u + i) % 15},${((u * i) % 5) + 1},${u * 10 + i}`);
    lines.push("lonely,i3,4,100000");
    writeFileSync(join(folder, "ratings.csv"), lines.join("\n") + "\n");
    writeFileSync(
      join(folder, "p.yaml"),
      "name: card\nseed: 1\nsource: {path: ratings.csv}\nsplit: {type: temporal-split, timeCol: timestamp, weights: [0.8, 0.2]}\n" +
        "pipeline:\n  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}\n  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 2, coldStartStrategy: drop}\n" +
        "evaluate:\n  - {type: regression-evaluator, metricName: rmse}\noutput: {dir: runs}\n",
    );
    const r = await runCliAsync(["run", join(folder, "p.yaml"), "--json", "--quiet", "--workers", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const report = readFileSync(join((JSON.parse(r.stdout) as RunJson).runDir, "report.html"), "utf8");
    expect(report).toMatch(/<div class="label">users<\/div><div class="value">21<\/div>/);
    expect(report).toMatch(/<div class="label">items<\/div><div class="value">15<\/div>/);
  }, 60_000);
});
