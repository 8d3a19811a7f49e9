/** Worker entry for hash-path.ts: hashes one data source on this thread while the caller's threads parse it. */
import { parentPort } from "node:worker_threads";
import { sha256Path } from "./hash-path.js";

parentPort!.once("message", (path: string) => {
  sha256Path(path).then(
    (sha256) => parentPort!.postMessage({ ok: true, sha256 }),
    (e: unknown) => parentPort!.postMessage({ ok: false, message: String(e) }),
  );
});
