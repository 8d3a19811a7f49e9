import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { isInputError } from "../../src/core/errors.js";
import { loadPipelineFile } from "../../src/spec/load-pipeline-file.js";

/**
 * Plugins load only from the paths a pipeline file names, and a relative plugin path resolves from the pipeline file's
 * folder. The working directory is set to test/safety/fixtures, where a decoy sits at ./plugins/echo-stage.mjs: a
 * loader resolving from the working directory would load the decoy instead.
 */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const loaded = () => ((globalThis as { __recpipeLoadedPlugins?: string[] }).__recpipeLoadedPlugins ?? []).slice();
const tmp = mkdtempSync(path.join(os.tmpdir(), "recpipe-plugins-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
  process.chdir(FIXTURES);
  (globalThis as { __recpipeLoadedPlugins?: string[] }).__recpipeLoadedPlugins = [];
});
afterEach(() => process.chdir(cwd));

describe("plugin modules", () => {
  it("load from the pipeline file's folder, and only the module named", async () => {
    const p = await loadPipelineFile("sub/pipeline.yaml", { allowPlugins: true });
    expect(p.registry.has("echo-stage")).toBe(true);
    expect(p.spec.pipeline[0].type).toBe("echo-stage");
    expect(loaded()).toEqual(["sub/plugins/echo-stage.mjs"]);
  });

  it("a relative path that exists only relative to the working directory is not found", async () => {
    const file = path.join(tmp, "p.yaml");
    writeFileSync(file, "name: t\nplugins: [./plugins/echo-stage.mjs]\nsource: {type: synthetic-ratings}\npipeline:\n  - {type: als}\n");
    let caught: unknown;
    try {
      await loadPipelineFile(file, { allowPlugins: true });
    } catch (e) {
      caught = e;
    }
    expect(isInputError(caught)).toBe(true);
    expect((caught as Error).message).toContain('plugins: "./plugins/echo-stage.mjs" not found');
    expect((caught as Error).message).toContain(path.join(path.basename(tmp), "plugins/echo-stage.mjs"));
    expect(loaded()).toEqual([]);
  });

  it("a file without plugins loads none", async () => {
    const file = path.join(tmp, "q.yaml");
    writeFileSync(file, "name: t\nsource: {type: synthetic-ratings}\npipeline:\n  - {type: echo-stage}\n");
    await expect(loadPipelineFile(file, { allowPlugins: true })).rejects.toThrow(/unknown estimator or transformer type "echo-stage"/);
    expect(loaded()).toEqual([]);
  });
});
