import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatComparison } from "../../src/cli/commands/compare.js";
import type { RunComparison } from "../../src/runs/compare-runs.js";
import { runCli, runCliAsync } from "./run-cli.js";

/** `recpipe runs` and `recpipe compare` on real run directories, including damaged and unfinished ones. */
const out = mkdtempSync(join(tmpdir(), "recpipe-runs-"));
const small = ["--set", "source.users=300", "--set", "source.items=200", "--set", "recommend.k=5", "--quiet", "--json", "--workers", "1", "--out", out];
let rank4 = "";
let rank8 = "";

type Listed = {
  run: string;
  status: string;
  problem?: string;
  metrics: Record<string, number>;
  differing: Record<string, unknown>;
  gains: Record<string, { gain: number; baseline: string }>;
};

beforeAll(async () => {
  const a = await runCliAsync(["run", "pipelines/quickstart.yaml", "--set", "pipeline.als.rank=4", ...small]);
  expect(a.code, a.stderr).toBe(0);
  rank4 = (JSON.parse(a.stdout) as { runDir: string }).runDir;
  const b = await runCliAsync(["run", "pipelines/quickstart.yaml", "--set", "pipeline.als.rank=8", ...small]);
  expect(b.code, b.stderr).toBe(0);
  rank8 = (JSON.parse(b.stdout) as { runDir: string }).runDir;
}, 120_000);

describe("recpipe runs", () => {
  it("lists each run with the params that differ, every metric and its gain over the best baseline", () => {
    const r = runCli(["runs", out, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { runs: Listed[]; differingKeys: string[] };
    expect(j.runs).toHaveLength(2);
    expect(j.differingKeys).toEqual(["pipeline.als.rank"]);
    // Newest first.
    expect(j.runs.map((x) => x.differing["pipeline.als.rank"])).toEqual([8, 4]);
    for (const run of j.runs) {
      expect(run.status).toBe("complete");
      expect(Object.keys(run.metrics)).toEqual(["rmse", "mae", "ndcgAtK@10"]);
      // rmse: lower is better, so the gain over the best rating baseline is positive when ALS has the lower error.
      expect(run.gains.rmse.baseline).toMatch(/global-mean|bias-baseline/);
      expect(run.gains["ndcgAtK@10"].baseline).toMatch(/most-popular|bias-baseline/);
    }
    const text = runCli(["runs", out]).stdout;
    expect(text).toMatch(/pipeline\.als\.rank/);
    expect(text.split("\n")[1]).toMatch(/complete\s+8\s/);
  });

  it("sorts by a metric, best first, and refuses a metric no run has", () => {
    const j = JSON.parse(runCli(["runs", out, "--sort", "rmse", "--json"]).stdout) as { runs: Listed[] };
    expect(j.runs[0].metrics.rmse).toBeLessThanOrEqual(j.runs[1].metrics.rmse);
    const bad = runCli(["runs", out, "--sort", "rmsee"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no listed run has metric "rmsee"; metrics: rmse, mae, ndcgAtK@10/);
  });

  it("lists damaged and unfinished runs as such instead of failing", () => {
    const mixed = mkdtempSync(join(tmpdir(), "recpipe-runs-mixed-"));
    try {
      cpSync(rank4, join(mixed, "quickstart-20260101-000001"), { recursive: true });
      const damaged = join(mixed, "quickstart-20260101-000002");
      cpSync(rank8, damaged, { recursive: true });
      rmSync(join(damaged, "recommendations.parquet"));
      const noManifest = join(mixed, "quickstart-20260101-000003");
      cpSync(rank8, noManifest, { recursive: true });
      rmSync(join(noManifest, "manifest.json"));
      // A run killed while it was written leaves its hidden temporary folder (its process is gone).
      mkdirSync(join(mixed, ".quickstart-20260101-000004.tmp-999999999-abcdef12"));
      writeFileSync(join(mixed, ".quickstart-20260101-000004.tmp-999999999-abcdef12", "pipeline.yaml"), "name: [unclosed\n");
      const garbled = join(mixed, "quickstart-20260101-000005");
      cpSync(rank4, garbled, { recursive: true });
      writeFileSync(join(garbled, "metrics.json"), "{not json");
      const r = runCli(["runs", mixed, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const runs = (JSON.parse(r.stdout) as { runs: Listed[] }).runs;
      const by = Object.fromEntries(runs.map((x) => [x.run, x]));
      expect(Object.keys(by).sort()).toEqual([
        "quickstart-20260101-000001",
        "quickstart-20260101-000002",
        "quickstart-20260101-000003",
        "quickstart-20260101-000004",
        "quickstart-20260101-000005",
      ]);
      expect(by["quickstart-20260101-000001"].status).toBe("complete");
      expect(by["quickstart-20260101-000002"]).toMatchObject({ status: "damaged", problem: "recommendations.parquet is missing" });
      expect(by["quickstart-20260101-000003"]).toMatchObject({ status: "unfinished", problem: expect.stringMatching(/no manifest\.json/) });
      expect(by["quickstart-20260101-000004"]).toMatchObject({
        status: "unfinished",
        problem: expect.stringMatching(/interrupted .*process 999999999 is gone/),
      });
      expect(by["quickstart-20260101-000005"]).toMatchObject({ status: "damaged", problem: expect.stringMatching(/metrics\.json is not valid JSON/) });
      const text = runCli(["runs", mixed]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/quickstart-20260101-000002: damaged: recommendations\.parquet is missing/);
    } finally {
      rmSync(mixed, { recursive: true, force: true });
    }
  });

  it("--verify reads the checksums: a model file with one byte flipped is complete by size and damaged by checksum", () => {
    const folder = mkdtempSync(join(tmpdir(), "recpipe-runs-verify-"));
    try {
      const flipped = join(folder, "quickstart-20260101-000001");
      cpSync(rank4, flipped, { recursive: true });
      cpSync(rank8, join(folder, "quickstart-20260101-000002"), { recursive: true });
      const factors = join(flipped, "model", "stages");
      const als = readdirSync(factors).find((d) => d.includes("_als_"))!;
      const part = readdirSync(join(factors, als, "userFactors")).find((n) => n.endsWith(".parquet"))!;
      const file = join(factors, als, "userFactors", part);
      const bytes = readFileSync(file);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      writeFileSync(file, bytes);
      const fast = JSON.parse(runCli(["runs", folder, "--json"]).stdout) as { runs: Listed[] };
      expect(fast.runs.map((r) => r.status)).toEqual(["complete", "complete"]);
      const r = runCli(["runs", folder, "--verify", "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const by = Object.fromEntries((JSON.parse(r.stdout) as { runs: Listed[] }).runs.map((x) => [x.run, x]));
      expect(by["quickstart-20260101-000002"].status).toBe("complete");
      expect(by["quickstart-20260101-000001"].status).toBe("damaged");
      expect(by["quickstart-20260101-000001"].problem).toContain(`model/stages/${als}/userFactors/${part}: sha256 differs from manifest.json's`);
      expect(by["quickstart-20260101-000001"].problem).toMatch(/checksum mismatch in bytes \d+-\d+ \(checked against \..*\.crc\)/);
      const text = runCli(["runs", folder, "--verify"]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/quickstart-20260101-000001: damaged: model\/stages\/.*sha256 differs/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("exits 2 naming a folder that does not exist", () => {
    const r = runCli(["runs", join(out, "nope")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope does not exist/);
  });
});

describe("recpipe runs over mixed runs (one tuned, two not)", () => {
  const mixed = mkdtempSync(join(tmpdir(), "recpipe-runs-tuned-"));
  let tuned = "";
  beforeAll(async () => {
    cpSync(rank4, join(mixed, "quickstart-20260101-000001"), { recursive: true });
    cpSync(rank8, join(mixed, "quickstart-20260101-000002"), { recursive: true });
    const grid = "tune={type: cross-validator, numFolds: 2, evaluator: {type: regression-evaluator, metricName: rmse}, paramGrid: {als.regParam: [0.09, 0.3]}}";
    const t = await runCliAsync(["run", "pipelines/quickstart.yaml", "--set", grid, ...small.filter((a) => a !== out), mixed]);
    expect(t.code, t.stderr).toBe(0);
    tuned = (JSON.parse(t.stdout) as { runDir: string }).runDir;
  }, 120_000);
  afterAll(() => rmSync(mixed, { recursive: true, force: true }));

  it("collapses the tune block the untuned runs lack into one column, shows the tuner's choice, and fits 100 columns", () => {
    const j = JSON.parse(runCli(["runs", mixed, "--json"]).stdout) as {
      runs: (Listed & { dir: string; params: Record<string, unknown> })[];
      differingKeys: string[];
      chosenKeys: string[];
    };
    expect(j.differingKeys).toContain("tune");
    expect(j.differingKeys.filter((k) => k.startsWith("tune."))).toEqual([]);
    expect(j.chosenKeys).toEqual(["tune.best.als.regParam"]);
    const best = j.runs.find((r) => r.dir === tuned)!.params["tune.best.als.regParam"];
    expect([0.09, 0.3]).toContain(best);
    const text = runCli(["runs", mixed]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split("\n");
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^run\s+.*status\s+best\.als\.regParam\s+.*tune/);
    const tunedLine = lines.find((l) => l.startsWith(tuned.split("/").pop()!))!;
    expect(tunedLine).toMatch(new RegExp(`complete\\s+${String(best)}\\s+.*cross-validator`));
    expect(lines.find((l) => l.startsWith("quickstart-20260101-000001"))).toMatch(/complete\s+-\s/);
    // What did not fit is named, not silently dropped.
    expect(text.stdout).toMatch(/\(not shown at width 100: [\s\S]*; pick columns with --columns, or --json\)/);
  });

  it("a block of another type (a file source against a synthetic one) is one column too", () => {
    const folder = mkdtempSync(join(tmpdir(), "recpipe-runs-source-"));
    try {
      cpSync(rank4, join(folder, "quickstart-20260101-000001"), { recursive: true });
      const file = join(folder, "quickstart-20260101-000002");
      cpSync(rank4, file, { recursive: true });
      const yaml = readFileSync(join(file, "pipeline.yaml"), "utf8").replace(/^source:\n(?:  .*\n)+/m, "source:\n  path: ratings.csv\n  format: csv\n");
      expect(yaml).toContain("path: ratings.csv");
      writeFileSync(join(file, "pipeline.yaml"), yaml);
      const j = JSON.parse(runCli(["runs", folder, "--json"]).stdout) as { differingKeys: string[]; runs: Listed[] };
      expect(j.differingKeys).toEqual(["source"]);
      expect(j.runs.map((r) => r.differing.source).sort()).toEqual(["ratings.csv", "synthetic-ratings"]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("--columns picks and orders the columns; --name filters by the run's folder name", () => {
    const r = runCli(["runs", mixed, "--columns", "rmse,best.als.regParam,pipeline.als.rank"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^run\s+rmse\s+best\.als\.regParam\s+pipeline\.als\.rank$/);
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith("quickstart-20260101-000002"))).toMatch(/^quickstart-20260101-000002\s+\d\.\d{4}\s+-\s+8$/);
    const named = runCli(["runs", mixed, "--name", "quickstart-2026*-00000?", "--columns", "pipeline.als.rank"]).stdout.trim().split("\n");
    // The tuned run's folder is named after today, not 20260101-00000N: filtered out.
    expect(named.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(["quickstart-20260101-000002", "quickstart-20260101-000001"]);
    const none = runCli(["runs", mixed, "--name", "movielens*"]);
    expect(none.stdout).toBe("no run directories found\n");
    const bad = runCli(["runs", mixed, "--columns", "rmse,pipeline.als.rnak"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/runs --columns pipeline\.als\.rnak: no listed run has a column or param "pipeline\.als\.rnak"; columns: time, status, rmse/);
  });

  it("compare shows the params the tuning chose beside an untuned run", () => {
    const r = runCli(["compare", rank4, tuned]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/params the tuning chose[^\n]*\n\s+key\s+A\s+B\n\s+als\.regParam\s+-\s+(0\.09|0\.3)\n/);
    expect(r.stdout).toMatch(/\n\s+tune\s+-\s+cross-validator\n/);
  });
});

describe("recpipe compare", () => {
  it("shows the differing param, the metrics side by side and the recommendation overlap", () => {
    const html = join(out, "cmp.html");
    const r = runCli(["compare", rank4, rank8, "--html", html]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pipeline\.als\.rank\s+4\s+8/);
    expect(r.stdout).toMatch(/rmse\s+\d+\.\d{4}\s+\d+\.\d{4}/);
    expect(r.stdout).toMatch(/B: \d+\.\d% over 300 users/);
    const page = readFileSync(html, "utf8");
    expect(page).toMatch(/<svg/);
    expect(page).toContain("pipeline.als.rank");
    expect(page).not.toMatch(/(src|href)="https?:/);
  });

  it("a run compared with a copy of itself: nothing differs, 100% overlap", () => {
    const copy = join(out, "copy-of-rank4");
    cpSync(rank4, copy, { recursive: true });
    const j = JSON.parse(runCli(["compare", rank4, copy, "--json"]).stdout) as {
      differences: unknown[];
      overlap: { meanOverlap: number; usersCompared: number }[];
    };
    expect(j.differences).toEqual([]);
    expect(j.overlap[0].meanOverlap).toBe(1);
    expect(j.overlap[0].usersCompared).toBe(300);
    rmSync(copy, { recursive: true });
  });

  it("exits 2 for fewer than two runs or a folder that is not a run", () => {
    expect(runCli(["compare", rank4]).code).toBe(2);
    const r = runCli(["compare", rank4, out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a run directory/);
    expect(existsSync(out) && readdirSync(out).length).toBeGreaterThan(0);
  });
});

describe("compare's overlap line", () => {
  it('names the run a user is only in (B, C), not "this run"', () => {
    const run = (name: string) => ({
      dir: name,
      run: name,
      status: "complete" as const,
      createdAt: "2026-01-01T00:00:00Z",
      params: {},
      metrics: {},
      baselines: {},
      largerIsBetter: {},
      differing: {},
      gains: {},
    });
    const c: RunComparison = {
      runs: [run("a"), run("b"), run("c")],
      differences: [],
      chosen: [],
      metricKeys: [],
      overlap: [
        { run: "b", meanOverlap: 0.5, usersCompared: 10, usersOnlyInFirst: 2, usersOnlyInThis: 3 },
        { run: "c", meanOverlap: 0.25, usersCompared: 8, usersOnlyInFirst: 4, usersOnlyInThis: 1 },
      ],
    };
    const text = formatComparison(c);
    expect(text).toContain("B: 50.0% over 10 users (2 only in A, 3 only in B)");
    expect(text).toContain("C: 25.0% over 8 users (4 only in A, 1 only in C)");
    expect(text).not.toContain("this run");
  });
});
