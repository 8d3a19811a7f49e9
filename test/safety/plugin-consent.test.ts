/**
 * A plugin is code: recpipe imports a pipeline file's plugin modules only with --allow-plugins (or
 * RECPIPE_ALLOW_PLUGINS=1), never from --set, and `reproduce` never runs a run directory's plugins unasked. The
 * fixture plugin writes a marker file when imported, so "refused" means "nothing ran", not just "exit 2".
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { runCli, runCliAsync } from "../cli/run-cli.js";

const MARKER_PLUGIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/marker/marker-plugin.mjs");
const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-plugin-consent-"));
const marker = path.join(dir, "plugin-ran");
const env = { RECPIPE_TEST_MARKER: marker };
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => rmSync(marker, { force: true }));

const BODY = `source: {type: synthetic-ratings, users: 60, items: 40, rank: 2, density: 0.3}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, rank: 2, maxIter: 2, coldStartStrategy: drop}
output: {dir: runs}
`;
mkdirSync(path.join(dir, "plugins"));
copyFileSync(MARKER_PLUGIN, path.join(dir, "plugins", "marker.mjs"));
writeFileSync(path.join(dir, "with-plugin.yaml"), `name: consent\nplugins: [./plugins/marker.mjs]\n${BODY}`);
writeFileSync(path.join(dir, "plain.yaml"), `name: consent\n${BODY}`);

describe("plugins run only with consent", () => {
  for (const cmd of ["run", "validate"]) {
    it(`${cmd} refuses a file naming a plugin without --allow-plugins: exit 2, names the path and the flag, imports nothing`, () => {
      const r = runCli(
        [cmd, "with-plugin.yaml", "--quiet"].filter((a) => cmd === "run" || a !== "--quiet"),
        { cwd: dir, env },
      );
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("./plugins/marker.mjs");
      expect(r.stderr).toContain("--allow-plugins");
      expect(r.stderr).toContain("RECPIPE_ALLOW_PLUGINS=1");
      expect(existsSync(marker)).toBe(false);
      expect(existsSync(path.join(dir, "runs"))).toBe(false);
    });
  }

  it("--allow-plugins imports the module (the marker appears), and so does RECPIPE_ALLOW_PLUGINS=1", () => {
    // The marker module defines no stage, so the load then fails, but only after its code ran.
    const r = runCli(["validate", "with-plugin.yaml", "--allow-plugins"], { cwd: dir, env });
    expect(r.stderr).toContain("exports no stage definition");
    expect(readFileSync(marker, "utf8")).toContain("plugin code ran");
    rmSync(marker);
    runCli(["validate", "with-plugin.yaml"], { cwd: dir, env: { ...env, RECPIPE_ALLOW_PLUGINS: "1" } });
    expect(existsSync(marker)).toBe(true);
  });

  for (const set of [`plugins=[./plugins/marker.mjs]`, `plugins.0=./plugins/marker.mjs`]) {
    it(`never from --set, even with --allow-plugins (--set ${set.split("=")[0]})`, () => {
      const file = set.startsWith("plugins.0") ? "with-plugin.yaml" : "plain.yaml";
      const r = runCli(["run", file, "--quiet", "--allow-plugins", "--set", set], { cwd: dir, env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`--set ${set}`);
      expect(r.stderr).toContain("plugins cannot be set from the command line");
      expect(existsSync(marker)).toBe(false);
    });
  }
});

describe("recpipe reproduce and a run directory's plugins", () => {
  it("runs them only with --allow-plugins, and stops at the first hash mismatch before running anything", async () => {
    const stage = path.join(path.dirname(MARKER_PLUGIN), "marker-stage.ts");
    writeFileSync(
      path.join(dir, "staged.yaml"),
      `name: staged\nplugins: [${stage}]\n${BODY.replace("pipeline:\n", "pipeline:\n  - {type: noop-transformer}\n")}`,
    );
    const ok = await runCliAsync(["run", "staged.yaml", "--json", "--quiet", "--allow-plugins"], { cwd: dir, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    const runDir = (JSON.parse(ok.stdout) as { runDir: string }).runDir;

    const refused = await runCliAsync(["reproduce", runDir, "--quiet"], { cwd: dir, env });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toContain("marker-stage.ts");
    expect(refused.stderr).toContain("--allow-plugins");
    expect(existsSync(marker)).toBe(false);

    const allowed = await runCliAsync(["reproduce", runDir, "--quiet", "--allow-plugins"], { cwd: dir, env });
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/reproduced: \d+ artefacts identical/);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    // An artefact changed after the run (here metrics.json; a received run directory could change anything): reproduce
    // reports that one difference and stops, even with --allow-plugins, so the plugin never runs.
    const metrics = path.join(runDir, "metrics.json");
    writeFileSync(metrics, readFileSync(metrics, "utf8").replace(/\d/, "7"));
    const stopped = await runCliAsync(["reproduce", runDir, "--quiet", "--allow-plugins"], { cwd: dir, env });
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(1);
    expect(stopped.stdout).toMatch(/DIFFERENT\s+metrics\.json: changed since the run/);
    expect(stopped.stdout.match(/DIFFERENT/g)).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
  });
});
