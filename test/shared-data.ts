/**
 * The project's reference data (MovieLens, Last.fm, Spark-saved models) lives in a `shared/` folder beside the
 * repository, not in it (its terms forbid redistribution). On a developer's machine without it, the tests that need it
 * skip and say why; under CI=true, where the folder is always laid beside the clone, a missing path FAILS the test
 * file, so no suite can pass by skipping.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const sharedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../shared");
export const sharedDataDir = path.join(sharedDir, "data");

/** Whether every path exists; when one does not: a warning naming it, or under CI=true an error. */
export function sharedDataPresent(paths: string[], suite: string): boolean {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === 0) return true;
  const why = `${suite} needs ${missing.join(", ")} (the shared folder beside the repository), which is absent`;
  if (process.env.CI === "true") throw new Error(`cannot run under CI: ${why}`);
  console.warn(`[shared data] skipping: ${why}`);
  return false;
}
