/**
 * The digest of a data source (the manifest's input sha256): a file's bytes, or a folder's sorted listing of part
 * digests; and the same digest when a large source is hashed on a worker thread beside its parse.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sha256Path, sha256PathBeside } from "../../src/io/hash-path.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-hash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

describe("sha256 of a source", () => {
  it("a file is the digest of its bytes, on this thread and beside it, small or large", async () => {
    const small = path.join(dir, "small.csv");
    writeFileSync(small, "u,i,r\n1,2,3\n");
    // Above the size from which the hash moves to a worker thread.
    const large = path.join(dir, "large.csv");
    const bytes = Buffer.alloc((33 << 20) + 7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 27;
    writeFileSync(large, bytes);
    for (const f of [small, large]) {
      const want = sha(readFileSync(f));
      expect(await sha256Path(f)).toBe(want);
      expect(await sha256PathBeside(f)).toBe(want);
    }
  });

  it("a folder is the digest of its sorted (path, digest) listing; renaming a part changes it", async () => {
    const parts = path.join(dir, "parts");
    mkdirSync(path.join(parts, "b"), { recursive: true });
    writeFileSync(path.join(parts, "b", "part-1.csv"), "x");
    writeFileSync(path.join(parts, "a.csv"), "y");
    const want = sha(`a.csv\u0000${sha("y")}\nb/part-1.csv\u0000${sha("x")}\n`);
    expect(await sha256Path(parts)).toBe(want);
    expect(await sha256PathBeside(parts)).toBe(want);
    writeFileSync(path.join(parts, "c.csv"), "y");
    rmSync(path.join(parts, "a.csv"));
    expect(await sha256Path(parts)).not.toBe(want);
  });

  it("a file that vanished fails as it would on this thread", async () => {
    await expect(sha256PathBeside(path.join(dir, "missing.csv"))).rejects.toThrow(/ENOENT/);
  });
});
