/**
 * Finds the Python that has real Apache Spark (pyspark) for the interop tests: `.venv/bin/python` made by
 * scripts/setup-spark-venv.sh, or RECPIPE_SPARK_PYTHON. Without it the interop tests skip and say why,
 * except under CI=true, where a missing Spark must fail the run: CI exists to run these tests.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const sparkScriptsDir = path.join(repoRoot, "test", "interop", "spark");

export type SparkEnv = { available: true; python: string } | { available: false; reason: string };

/** The Spark lines the model interop runs against: 3.5 (the sparkVersion recpipe writes), 4.0.x and the newest 4.x. */
export const INTEROP_LINES = ["3.5", "4.0", "4.3"] as const;
export type InteropLine = (typeof INTEROP_LINES)[number];

function pythonFor(line: InteropLine): string {
  if (line === "3.5") return process.env.RECPIPE_SPARK_PYTHON ?? path.join(repoRoot, ".venv", "bin", "python");
  return path.join(repoRoot, `.venv-spark-${line}`, "bin", "python");
}

function probe(line: InteropLine = "3.5"): SparkEnv {
  const python = pythonFor(line);
  const setup = `run \`bash scripts/setup-spark-venv.sh ${line}\``;
  if (!existsSync(python)) return { available: false, reason: `no Spark python at ${python}; ${setup}` };
  const imports = spawnSync(python, ["-c", "import pyspark, numpy"], { encoding: "utf8" });
  if (imports.status !== 0) {
    return { available: false, reason: `${python} cannot import pyspark/numpy (${imports.stderr.trim().split("\n").pop()}); ${setup}` };
  }
  const java = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (java.status !== 0) return { available: false, reason: "no `java` on PATH; Spark needs Java 17" };
  return { available: true, python };
}

const cached = new Map<InteropLine, SparkEnv>();

/**
 * The Spark environment of one line (default 3.5), probed once per test file. Prints the reason when it is missing;
 * throws under CI=true so that the test file fails instead of skipping.
 */
export function sparkEnv(line: InteropLine = "3.5"): SparkEnv {
  const hit = cached.get(line);
  if (hit) return hit;
  const env = probe(line);
  cached.set(line, env);
  if (!env.available) {
    if (process.env.CI === "true") throw new Error(`Spark interop tests cannot run under CI: Spark ${line}: ${env.reason}`);
    console.warn(`[interop] skipping Spark ${line} interop tests: ${env.reason}`);
  }
  return env;
}
