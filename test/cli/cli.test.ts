import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/** End-to-end tests of the built CLI (npm test builds dist/ first). */
const cli = join(process.cwd(), "dist/src/cli/main.js");
const out = mkdtempSync(join(tmpdir(), "recpipe-cli-"));

function recpipe(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, RECPIPE_DEBUG: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(cli)) execFileSync("npm", ["run", "build"], { stdio: "inherit" });
});

describe("recpipe run", () => {
  it("runs the quickstart: one JSON object on stdout, a complete run directory, ALS beating the baselines", () => {
    const r = recpipe(["run", "pipelines/quickstart.yaml", "--json", "--quiet", "--out", out, "--workers", "2"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      runDir: string;
      metrics: Record<string, number>;
      baselines: Record<string, Record<string, number>>;
      timingsSeconds: Record<string, number>;
    };
    expect(Object.keys(j.metrics)).toEqual(["rmse", "mae", "ndcgAtK@10"]);
    // Planted rank-5 data with noise 0.3: ALS gets close to the noise; the global mean cannot.
    expect(j.metrics.rmse).toBeLessThan(0.4);
    expect(j.baselines["global-mean"].rmse).toBeGreaterThan(2 * j.metrics.rmse);
    // Users rate what their planted taste prefers (preference 0.7): ALS ranks held-out items well above popularity.
    expect(j.metrics["ndcgAtK@10"]).toBeGreaterThan(2 * j.baselines["most-popular"]["ndcgAtK@10"]);
    expect(j.timingsSeconds.fit).toBeGreaterThan(0);
    for (const f of ["pipeline.yaml", "manifest.json", "metrics.json", "report.html", "recommendations.parquet", "model/metadata/part-00000"]) {
      expect(existsSync(join(j.runDir, f)), f).toBe(true);
    }
    const stages = readdirSync(join(j.runDir, "model/stages"));
    expect(stages).toHaveLength(2);
    expect(stages[1]).toMatch(/^1_als_[0-9a-f]{12}$/);
    const manifest = JSON.parse(readFileSync(join(j.runDir, "manifest.json"), "utf8")) as { artefacts: { path: string }[]; seed: number };
    expect(manifest.seed).toBe(42);
    expect(manifest.artefacts.map((a) => a.path)).toContain(
      "model/stages/" + stages[1] + "/userFactors/" + readdirSync(join(j.runDir, "model/stages", stages[1], "userFactors")).find((f) => f.endsWith(".parquet")),
    );
    expect(readdirSync(out).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("exits 2 for an unknown key, names it, and leaves no run directory", () => {
    const bad = join(out, "bad.yaml");
    writeFileSync(bad, readFileSync("pipelines/quickstart.yaml", "utf8").replace("pipelines/", "") + "\ncolour: blue\n");
    const before = readdirSync(out).length;
    const r = recpipe(["run", bad, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/colour is not a known key/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readdirSync(out).length).toBe(before);
  });

  it("validate catches a misspelled column before fitting anything", () => {
    const r = recpipe(["validate", "pipelines/quickstart.yaml", "--set", "pipeline.als.ratingCol=ratng"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/column "ratng" not found \(did you mean "rating"\?\)/);
    expect(recpipe(["validate", "pipelines/quickstart.yaml"]).code).toBe(0);
  });

  it("a usage error is exit 2", () => {
    expect(recpipe(["run"]).code).toBe(2);
    expect(recpipe(["run", "pipelines/quickstart.yaml", "--workers", "0"]).code).toBe(2);
  });
});

describe("recpipe explain and schema", () => {
  it("explains a stage like Spark's explainParams, from its schema", () => {
    const r = recpipe(["explain", "als"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rank: rank of the factorization .*default: 10/);
    expect(r.stdout).toMatch(/coldStartStrategy: .*allowed: "nan"\|"drop"/);
    expect(recpipe(["explain"]).stdout).toMatch(/string-indexer/);
    expect(recpipe(["explain", "alss"]).code).toBe(2);
  });

  it("prints a JSON Schema that knows every stage type", () => {
    const r = recpipe(["schema"]);
    expect(r.code).toBe(0);
    const s = JSON.stringify(JSON.parse(r.stdout));
    for (const t of ["als", "string-indexer", "random-split", "regression-evaluator", "cross-validator"]) expect(s).toContain(`"const":"${t}"`);
  });
});
