import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listFilesRecursive, sha256File, writeDirAtomically } from "../../src/io/atomic-dir.js";
import { tempDir } from "./fixtures.js";

const { dir } = tempDir();

describe("writeDirAtomically", () => {
  it("creates the target only when the fill succeeds and leaves no temp on failure", async () => {
    const target = path.join(dir, "out");
    await expect(
      writeDirAtomically(target, async (tmp) => {
        writeFileSync(path.join(tmp, "half"), "x");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes("out"))).toEqual([]);
    await writeDirAtomically(target, async (tmp) => writeFileSync(path.join(tmp, "a"), "1"));
    expect(readFileSync(path.join(target, "a"), "utf8")).toBe("1");
  });

  it("refuses an existing target unless overwrite, then swaps it", async () => {
    const target = path.join(dir, "existing");
    mkdirSync(target);
    writeFileSync(path.join(target, "old"), "old");
    await expect(writeDirAtomically(target, async () => {})).rejects.toThrow(/already exists/);
    await writeDirAtomically(target, async (tmp) => writeFileSync(path.join(tmp, "new"), "new"), { overwrite: true });
    expect(readdirSync(target)).toEqual(["new"]);
    expect(readdirSync(dir).filter((n) => n.startsWith(".existing"))).toEqual([]);
  });

  it("lists files recursively in sorted order and hashes them", async () => {
    const root = path.join(dir, "tree");
    mkdirSync(path.join(root, "b", "c"), { recursive: true });
    writeFileSync(path.join(root, "b", "c", "z"), "");
    writeFileSync(path.join(root, "a"), "abc");
    writeFileSync(path.join(root, "B"), "");
    expect(await listFilesRecursive(root)).toEqual(["B", "a", "b/c/z"]);
    expect(await sha256File(path.join(root, "a"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
