import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** MovieLens 100K from the shared data folder beside the repository (its terms forbid shipping it in the repo). */
export const ml100k = path.join(repoRoot, "..", "shared", "data", "movielens-100k", "u.data");

/** The real data, or a skip (a failure under CI=true, where ../shared is always laid beside the clone). */
export function haveMl100k(): boolean {
  if (existsSync(ml100k)) return true;
  if (process.env.CI === "true") throw new Error(`Spark Connect tests need ${ml100k} under CI`);
  console.warn(`[spark-connect] skipping the MovieLens runs: no ${ml100k}`);
  return false;
}
