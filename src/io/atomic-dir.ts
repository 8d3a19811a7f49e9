import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { lstat, mkdir, open, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../core/errors.js";

export interface AtomicDirOptions {
  /** Replace an existing target (swapped out only after the new tree is complete). */
  overwrite?: boolean;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

function siblingName(target: string, kind: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/** Temporary trees being filled right now: removed by removePendingTempDirs when the process is interrupted. */
const pending = new Set<string>();

/** Removes every temporary tree this process is still filling (a signal handler calls it before exiting). */
export function removePendingTempDirs(): void {
  for (const dir of pending) rmSync(dir, { recursive: true, force: true });
  pending.clear();
}

/**
 * Builds a directory under a hidden temporary sibling name and renames it into place at the end, so the target
 * appears complete or not at all. On failure the temporary tree is removed. An existing target is refused
 * unless `overwrite`; then it is first renamed aside, the new tree renamed in, and only then the old one deleted
 * (if the second rename fails, the old tree is put back).
 */
export async function writeDirAtomically<T>(target: string, fill: (tmpDir: string) => Promise<T>, opts: AtomicDirOptions = {}): Promise<T> {
  const abs = path.resolve(target);
  if (!opts.overwrite && (await exists(abs))) {
    throw new InputError("E_FILE", `${target}: already exists; choose another path or allow overwriting`);
  }
  const { tmp, result } = await fillTemporarySibling(abs, fill);
  try {
    if (await exists(abs)) {
      if (!opts.overwrite) throw new InputError("E_FILE", `${target}: appeared while it was being written; not replacing it`);
      const old = siblingName(abs, "old");
      await rename(abs, old);
      try {
        await rename(tmp, abs);
      } catch (e) {
        await rename(old, abs);
        throw e;
      }
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, abs);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return result;
}

/** Fills a fresh hidden sibling of `abs`; removes it when the fill fails. */
async function fillTemporarySibling<T>(abs: string, fill: (tmpDir: string) => Promise<T>): Promise<{ tmp: string; result: T }> {
  await mkdir(path.dirname(abs), { recursive: true });
  const tmp = siblingName(abs, "tmp");
  await mkdir(tmp);
  pending.add(tmp);
  try {
    const result = await fill(tmp);
    return { tmp, result };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    // Once the rename starts the tree is the target's: an interrupt must not delete it any more.
    pending.delete(tmp);
  }
}

/**
 * Like writeDirAtomically, for a directory that must never replace another: the tree lands at `target`, or at
 * `target-2`, `target-3`, ... when that name is taken, claimed by the rename itself. Renaming a directory onto a
 * non-empty one fails (ENOTEMPTY/EEXIST), so of several processes finishing at once each gets a name of its own
 * and none waits or fails: runs started in the same second all complete. Returns the directory written.
 */
export async function writeNewDirAtomically<T>(target: string, fill: (tmpDir: string) => Promise<T>): Promise<{ dir: string; result: T }> {
  const abs = path.resolve(target);
  const { tmp, result } = await fillTemporarySibling(abs, fill);
  try {
    for (let i = 1; ; i++) {
      const dir = i === 1 ? abs : `${abs}-${i}`;
      if (await exists(dir)) continue;
      try {
        await rename(tmp, dir);
        return { dir, result };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Taken between the check and the rename (another process won it): try the next suffix.
        if ((code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR" || code === "EPERM") && (await exists(dir))) continue;
        throw e;
      }
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A file's sha256, read through one reused buffer: a stream's fresh chunk per 64 KiB would leave hundreds of
 * megabytes of garbage behind on a large source until the next collection (measured: +137 MB of a 25M-row run's peak).
 */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

/**
 * Files under `dir`, recursively, as '/'-separated paths relative to `dir`, sorted by code unit order (so the
 * listing is the same on every platform). Symlinks are listed, not followed.
 */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(r);
      else out.push(r);
    }
  }
  await walk("");
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
