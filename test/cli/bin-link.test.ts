/**
 * `npx recpipe` works in a clone: npm does not link a package's own bin, so the prepare script does, after the build
 * (this used to be a dependency of the package on itself). The README's Quick start and the acceptance checks call it.
 */
import { spawnSync } from "node:child_process";
import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./run-cli.js";

describe("node_modules/.bin/recpipe", () => {
  it("is made by the prepare script, not by a dependency on the package itself", () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.prepare).toContain("scripts/link-bin.mjs");
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty("recpipe");
  });

  it("links to the built CLI and runs it", () => {
    const bin = path.join(repoRoot, "node_modules", ".bin", "recpipe");
    expect(lstatSync(bin).isSymbolicLink()).toBe(true);
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version);
  });
});
