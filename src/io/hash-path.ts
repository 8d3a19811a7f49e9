import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { listFilesRecursive, sha256File } from "./atomic-dir.js";
import { startWorkerBeside } from "../workers/start-worker.js";

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

/** Below this many bytes hashing on the calling thread (~1 ms a MB) costs less than starting a worker. */
const OFF_THREAD_MIN_BYTES = 32 << 20;

/**
 * sha256Path on a worker thread, for a large source that is about to be parsed: the hash then runs beside the parse
 * (on a core the parse leaves idle, or shared with it) instead of after it, where it was 0.6 s of a 25M-row read on
 * its own. The same digest; a worker that cannot start or fails falls back to this thread.
 */
export async function sha256PathBeside(path: string): Promise<string> {
  const st = await stat(path);
  if (st.isFile() && st.size < OFF_THREAD_MIN_BYTES) return sha256Path(path);
  const reply = await new Promise<{ ok: boolean; sha256?: string }>((resolve) => {
    let worker;
    try {
      worker = startWorkerBeside(import.meta.url, "hash-worker");
    } catch {
      return resolve({ ok: false });
    }
    // A run that fails while the hash runs exits without waiting for it.
    worker.unref();
    worker.once("message", resolve);
    worker.once("error", () => resolve({ ok: false }));
    worker.once("exit", () => resolve({ ok: false }));
    worker.postMessage(path);
  });
  return reply.ok && reply.sha256 ? reply.sha256 : sha256Path(path);
}
