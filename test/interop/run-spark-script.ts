/**
 * Runs one of the CLI scripts in test/interop/spark with the Spark python and returns the JSON it printed
 * as its last stdout line. A failure carries the script's stderr tail, which is where Spark's exception is.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { sparkScriptsDir } from "./spark-env.js";

export async function runSparkScript<T = unknown>(python: string, script: string, args: string[]): Promise<T> {
  const child = spawn(python, [path.join(sparkScriptsDir, script), ...args], { cwd: sparkScriptsDir });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) {
    throw new Error(`${script} ${args.join(" ")} exited ${code}:\n${stderr.split("\n").slice(-30).join("\n")}`);
  }
  const last = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${script} printed no JSON on its last stdout line:\n${stdout.slice(-2000)}`);
  }
}
