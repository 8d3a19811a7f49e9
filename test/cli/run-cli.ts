/**
 * Runs the BUILT CLI (dist/src/cli/main.js) as a user would, capturing exit code and output. `npm test` builds
 * first; when dist/ is missing the calling test fails with a message saying to run `npm run build`.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const cliMain = path.join(repoRoot, "dist", "src", "cli", "main.js");
/** /work/shared (or ../shared next to the repo): reference data, absent on most machines. */
export const sharedDir = path.resolve(repoRoot, "../shared");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function requireBuilt(): void {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing; run \`npm run build\` first (npm test does)`);
}

/** The environment the CLI runs in: the test's, without the switches that change what it does unasked. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, RECPIPE_DEBUG: "", RECPIPE_ALLOW_PLUGINS: "", ...extra };
}

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  requireBuilt();
  const r = spawnSync(process.execPath, [cliMain, ...args], { cwd: opts.cwd ?? repoRoot, encoding: "utf8", env: cliEnv(opts.env) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Same, without blocking the event loop (for runs that take seconds). */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  requireBuilt();
  const child = spawn(process.execPath, [cliMain, ...args], { cwd: opts.cwd ?? repoRoot, env: cliEnv(opts.env) });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
