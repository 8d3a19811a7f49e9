import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, runCliAsync } from "./run-cli.js";

/** `recpipe runs` and `recpipe compare` on real run directories, including damaged and unfinished ones. */
const out = mkdtempSync(join(tmpdir(), "recpipe-runs-"));
const small = ["--set", "source.users=300", "--set", "source.items=200", "--set", "recommend.k=5", "--quiet", "--json", "--workers", "1", "--out", out];
let rank4 = "";
let rank8 = "";

type Listed = { run: string; status: string; problem?: string; metrics: Record<string, number>; differing: Record<string, unknown>; gains: Record<string, { gain: number; baseline: string }> };

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
      expect(Object.keys(by).sort()).toEqual(["quickstart-20260101-000001", "quickstart-20260101-000002", "quickstart-20260101-000003", "quickstart-20260101-000004", "quickstart-20260101-000005"]);
      expect(by["quickstart-20260101-000001"].status).toBe("complete");
      expect(by["quickstart-20260101-000002"]).toMatchObject({ status: "damaged", problem: "recommendations.parquet is missing" });
      expect(by["quickstart-20260101-000003"]).toMatchObject({ status: "unfinished", problem: expect.stringMatching(/no manifest\.json/) });
      expect(by["quickstart-20260101-000004"]).toMatchObject({ status: "unfinished", problem: expect.stringMatching(/interrupted .*process 999999999 is gone/) });
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
    const j = JSON.parse(runCli(["compare", rank4, copy, "--json"]).stdout) as { differences: unknown[]; overlap: { meanOverlap: number; usersCompared: number }[] };
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
