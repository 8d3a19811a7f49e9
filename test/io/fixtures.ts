import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

/** A temp dir removed after the test file; `file(name, content)` writes a fixture into it and returns its path. */
export function tempDir(): { dir: string; file: (name: string, content: string | Uint8Array) => string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-io-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, content) {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      return p;
    },
  };
}

/** Column values as plain JS (dictionary strings decoded). */
export function columnValues(table: import("apache-arrow").Table, name: string): unknown[] {
  const col = table.getChild(name);
  if (!col) throw new Error(`no column ${name}`);
  return Array.from({ length: table.numRows }, (_, i) => col.get(i));
}
