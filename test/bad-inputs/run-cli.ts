import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(REPO, "dist/src/cli/main.js");

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Killed after the time limit: a hang. */
  timedOut: boolean;
}

/**
 * Runs the built CLI in `cwd` (so messages show paths relative to the case's temp dir). `shellPrefix` runs it
 * under `sh -c "<prefix>; exec node ..."`, e.g. `ulimit -f 0` to make every file write fail.
 */
export function runCli(args: string[], cwd: string, opts: { shellPrefix?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const env = { ...process.env, RECPIPE_DEBUG: "", RECPIPE_ALLOW_PLUGINS: "", NO_COLOR: "1", FORCE_COLOR: "0" };
  const child = opts.shellPrefix
    ? spawn("sh", ["-c", `${opts.shellPrefix}; exec "$0" "$@"`, process.execPath, CLI, ...args], { cwd, env })
    : spawn(process.execPath, [CLI, ...args], { cwd, env });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, opts.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout, stderr, timedOut });
    });
  });
}
