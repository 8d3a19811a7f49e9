import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { listFilesRecursive, sha256File } from "./atomic-dir.js";

/**
 * sha256 of a data source: a file's bytes, or for a Spark-style folder of part files, of the sorted list of
 * (relative path, file sha256). Renaming, adding, removing or editing any file in the folder changes it, and the
 * listing order is fixed, so the same folder hashes the same on every platform.
 */
export async function sha256Path(path: string): Promise<string> {
  if ((await stat(path)).isFile()) return sha256File(path);
  const h = createHash("sha256");
  for (const f of await listFilesRecursive(path)) h.update(`${f}\u0000${await sha256File(join(path, f))}\n`);
  return h.digest("hex");
}
