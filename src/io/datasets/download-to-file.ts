import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { InputError } from "../../core/errors.js";

export interface DownloadResult {
  bytes: number;
  sha256: string;
  md5: string;
}

/**
 * Streams `url` into `file` (created, must not exist), hashing as the bytes arrive so a large archive
 * is read once. The caller owns `file` and deletes it on failure.
 */
export async function downloadToFile(
  url: string,
  file: string,
  fetchImpl: typeof fetch,
  onProgress?: (done: number, total?: number) => void,
): Promise<DownloadResult> {
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (e) {
    throw new InputError("E_FILE", `cannot download ${url}: ${(e as Error).message}` + " (set RECPIPE_DATASETS_MIRROR to a reachable mirror)", { cause: e });
  }
  if (!res.ok || !res.body) {
    throw new InputError("E_FILE", `cannot download ${url}: HTTP ${res.status} ${res.statusText}`.trimEnd());
  }
  const lengthHeader = res.headers.get("content-length");
  const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  const sha256 = createHash("sha256");
  const md5 = createHash("md5");
  const handle = await open(file, "wx");
  let done = 0;
  try {
    const reader = res.body.getReader();
    for (;;) {
      const { done: finished, value } = await reader.read();
      if (finished) break;
      sha256.update(value);
      md5.update(value);
      await handle.write(value);
      done += value.byteLength;
      onProgress?.(done, total);
    }
  } finally {
    await handle.close();
  }
  return { bytes: done, sha256: sha256.digest("hex"), md5: md5.digest("hex") };
}
