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

function probe(): SparkEnv {
  const python = process.env.RECPIPE_SPARK_PYTHON ?? path.join(repoRoot, ".venv", "bin", "python");
  const setup = "run `bash scripts/setup-spark-venv.sh`";
  if (!existsSync(python)) return { available: false, reason: `no Spark python at ${python}; ${setup}` };
  const imports = spawnSync(python, ["-c", "import pyspark, numpy"], { encoding: "utf8" });
  if (imports.status !== 0) {
    return { available: false, reason: `${python} cannot import pyspark/numpy (${imports.stderr.trim().split("\n").pop()}); ${setup}` };
  }
  const java = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (java.status !== 0) return { available: false, reason: "no `java` on PATH; Spark needs Java 17" };
  return { available: true, python };
}

let cached: SparkEnv | undefined;

/**
 * The Spark environment, probed once per test file. Prints the reason when it is missing; throws under CI=true
 * so that the test file fails instead of skipping.
 */
export function sparkEnv(): SparkEnv {
  if (cached) return cached;
  cached = probe();
  if (!cached.available) {
    if (process.env.CI === "true") throw new Error(`Spark interop tests cannot run under CI: ${cached.reason}`);
    console.warn(`[interop] skipping Spark interop tests: ${cached.reason}`);
  }
  return cached;
}
