import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { unzipSync } from "fflate";
import { InputError } from "../../core/errors.js";

/**
 * Where an archive entry would land inside `targetDir`, or undefined when it would escape it
 * ("zip slip": `../x`, `/etc/x`, `C:\x`, or backslash tricks that Windows tools honour).
 */
export function entryDestination(targetDir: string, entryName: string): string | undefined {
  const name = entryName.replace(/\\/g, "/");
  if (name.includes("\0") || name.startsWith("/") || /^[A-Za-z]:/.test(name)) return undefined;
  const root = path.resolve(targetDir);
  const dest = path.resolve(root, name);
  return dest === root || dest.startsWith(root + path.sep) ? dest : undefined;
}

/**
 * Unpacks `zip` into `targetDir`. Every entry name is checked before anything is written, so a
 * hostile archive writes nothing. Entries are inflated one at a time to bound memory (ml-25m
 * unpacks to over 1 GB).
 */
export async function unzipSafely(zip: Uint8Array, targetDir: string, archiveLabel: string): Promise<string[]> {
  const names: string[] = [];
  try {
    unzipSync(zip, {
      filter: (f) => {
        names.push(f.name);
        return false;
      },
    });
  } catch (e) {
    throw new InputError("E_DATA", `${archiveLabel} is not a readable zip archive: ${(e as Error).message}`, { cause: e });
  }
  const destinations = new Map<string, string>();
  for (const name of names) {
    const dest = entryDestination(targetDir, name);
    if (dest === undefined) {
      throw new InputError("E_DATA", `${archiveLabel}: entry "${name}" would be written outside ${targetDir}; refusing to unpack`);
    }
    destinations.set(name, dest);
  }
  for (const [name, dest] of destinations) {
    if (name.endsWith("/") || name.endsWith("\\")) {
      await mkdir(dest, { recursive: true });
      continue;
    }
    const one = unzipSync(zip, { filter: (f) => f.name === name });
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, one[name]);
  }
  return names;
}
