import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeVector, Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli, runCliAsync } from "../cli/run-cli.js";

/** docs/plugins.md: its worked example is the files in docs/examples/plugins, and they work as the page says. */
const guide = readFileSync(join(repoRoot, "docs", "plugins.md"), "utf8");
const example = (name: string) => readFileSync(join(repoRoot, "docs", "examples", "plugins", name), "utf8");

describe("docs/plugins.md", () => {
  it("shows the example plugin and its pipeline file exactly as they are on disk", () => {
    const blocks = [...guide.matchAll(/```(ts|yaml)\n([\s\S]*?)```/g)].map((m) => m[2]);
    expect(blocks).toContain(example("clip-ratings.ts"));
    expect(blocks).toContain(example("clip-ratings.yaml"));
  });

  it("the example pipeline runs with --allow-plugins, trains on the clipped column and saves the plugin stage", async () => {
    const out = mkdtempSync(join(tmpdir(), "recpipe-plugin-guide-"));
    const file = "docs/examples/plugins/clip-ratings.yaml";
    const refused = runCli(["run", file, "--out", out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--allow-plugins/);
    const r = await runCliAsync(["run", file, "--allow-plugins", "--out", out, "--json", "--quiet", "--workers", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { runDir: string; metrics: Record<string, number> };
    expect(Number.isFinite(j.metrics.rmse)).toBe(true);
    const stages = readdirSync(join(j.runDir, "model", "stages"));
    expect(stages[0]).toMatch(/^0_clip_[0-9a-f]+$/);
    const metadata = JSON.parse(readFileSync(join(j.runDir, "model", "stages", stages[0], "metadata", "part-00000"), "utf8").split("\n")[0]) as {
      class: string;
      paramMap: Record<string, unknown>;
    };
    expect(metadata.class).toBe("recpipe.examples.ClipRatings");
    expect(metadata.paramMap).toMatchObject({ inputCol: "rating", outputCol: "clipped", min: 1, max: 5 });
    // --set addresses the plugin's params like any stage's, and its schema refuses a bad value naming the key.
    const bad = runCli(["validate", file, "--allow-plugins", "--set", "pipeline.clip-ratings.max=four"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/clip-ratings.*max/);
    expect(existsSync(join(repoRoot, "docs", "examples", "plugins", "runs"))).toBe(false);
  }, 120_000);

  it("the stage clips, and names a missing column as its built-in peers do", async () => {
    const { clipRatings } = (await import("../../docs/examples/plugins/clip-ratings.js")) as typeof import("../../docs/examples/plugins/clip-ratings.js");
    const stage = clipRatings.create(clipRatings.params.parse({ min: 1, max: 5 }), { uid: "clip_1", name: "clip-ratings", explicitParams: new Set() });
    const t = new Table({ rating: makeVector(Float64Array.from([0.2, 3, 7.5])) });
    expect(stage.transformSchema(t.schema).fields.map((f) => f.name)).toEqual(["rating", "clipped"]);
    const out = await stage.transform(t, undefined as never);
    expect(Array.from(out.getChild("clipped")!.toArray() as Float64Array)).toEqual([1, 3, 5]);
    expect(() => stage.transformSchema(new Table({ score: makeVector(Float64Array.from([1])) }).schema)).toThrow(/clip-ratings\.inputCol.*"rating"/);
  });
});
