import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./run-cli.js";

/**
 * The README's install outside the clone, done as a user would: pack the package, install the tarball globally into a
 * temporary prefix, and run the installed `recpipe` from a folder that is not the clone. Dependencies come from the
 * npm cache that `npm ci` filled (--prefer-offline), the registry otherwise.
 */
const tmp = mkdtempSync(join(tmpdir(), "recpipe-install-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("npm pack + npm install -g", () => {
  it("installs a working recpipe command: --version and a tiny pipeline, outside the clone", () => {
    const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    // dist/ is built by `npm test` (and by `prepare` on npm install in the clone); pack ships it as is.
    npm(["pack", "--ignore-scripts", "--pack-destination", tmp], repoRoot);
    const tarball = readdirSync(tmp).find((f) => f.endsWith(".tgz"))!;
    const prefix = join(tmp, "prefix");
    npm(["install", "-g", "--prefix", prefix, join(tmp, tarball), "--no-audit", "--no-fund", "--prefer-offline"], tmp);
    const bin = join(prefix, "bin", "recpipe");
    const version = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
    expect(execFileSync(bin, ["--version"], { encoding: "utf8" }).trim()).toBe(version);

    const work = join(tmp, "work");
    execFileSync("mkdir", ["-p", work]);
    writeFileSync(
      join(work, "tiny.yaml"),
      `name: tiny
source: {type: synthetic-ratings, users: 100, items: 50, density: 0.2}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, rank: 3, maxIter: 3, coldStartStrategy: drop}
`,
    );
    const out = JSON.parse(
      execFileSync(bin, ["run", "tiny.yaml", "--json", "--quiet", "--workers", "1"], { cwd: work, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
    ) as { runDir: string; metrics: { rmse: number } };
    // output.dir (default runs) resolves from the pipeline file's folder.
    expect(out.runDir.startsWith(join(work, "runs", "tiny-"))).toBe(true);
    expect(Number.isFinite(out.metrics.rmse)).toBe(true);
    expect(readdirSync(out.runDir)).toContain("model");
  }, 600_000);
});
