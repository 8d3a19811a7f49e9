/**
 * A local run never loads the Spark Connect client: gRPC and protobuf cost about a third of a second of start-up, so
 * the client is imported only with --remote (pick-engine.ts, validate-pipeline.ts) and nothing else a command
 * imports at start reaches it. Watched with a module resolve hook that logs every URL the built CLI resolves.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-imports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hooks = path.join(dir, "hooks.mjs");
writeFileSync(
  hooks,
  `import { appendFileSync } from "node:fs";
export async function resolve(spec, ctx, next) { const r = await next(spec, ctx); appendFileSync(process.env.RESOLVED_LOG, r.url + "\\n"); return r; }
`,
);
const register = path.join(dir, "register.mjs");
writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

const SPARK_CONNECT_CLIENT = /@grpc\/grpc-js|@bufbuild\/protobuf|engines\/spark-connect\/transport\/client\.js/;

function resolvedBy(name: string, args: string[]): { code: number | null; stderr: string; urls: string[] } {
  const log = path.join(dir, `${name}.log`);
  const r = runCli(args, { env: { NODE_OPTIONS: `--import ${register}`, RESOLVED_LOG: log, SPARK_REMOTE: "" } });
  return { code: r.code, stderr: r.stderr, urls: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [] };
}

describe("start-up imports", () => {
  const quickstart = path.join(repoRoot, "pipelines", "quickstart.yaml");

  it.each([
    ["help", ["--help"]],
    ["validate", ["validate", quickstart]],
    ["run", ["run", quickstart, "--quiet", "--out", path.join(dir, "runs")]],
  ])("recpipe %s without --remote never resolves the Spark Connect client", (name, args) => {
    const r = resolvedBy(name, args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.urls.length).toBeGreaterThan(100);
    expect(r.urls.filter((u) => SPARK_CONNECT_CLIENT.test(u))).toEqual([]);
  });

  it("with --remote the client is loaded (the hook sees it), and an unreachable server is still exit 2", () => {
    const r = resolvedBy("remote", ["run", quickstart, "--quiet", "--out", path.join(dir, "runs"), "--remote", "sc://127.0.0.1:1"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.urls.some((u) => SPARK_CONNECT_CLIENT.test(u))).toBe(true);
  });
});
