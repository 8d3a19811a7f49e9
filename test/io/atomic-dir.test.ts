import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listFilesRecursive, sha256File, writeDirAtomically, writeNewDirAtomically } from "../../src/io/atomic-dir.js";
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

  it("writeNewDirAtomically: eight trees finishing at the same moment under one name each land in a directory of their own", async () => {
    const target = path.join(dir, "same-second");
    // Every fill waits until all eight are filled, so all eight renames race for the same names.
    let release!: () => void;
    const allFilled = new Promise<void>((r) => (release = r));
    let filled = 0;
    const writes = Array.from({ length: 8 }, (_, i) =>
      writeNewDirAtomically(target, async (tmp) => {
        writeFileSync(path.join(tmp, "who"), String(i));
        if (++filled === 8) release();
        await allFilled;
        return i;
      }),
    );
    const done = await Promise.all(writes);
    const dirs = done.map((d) => path.basename(d.dir)).sort();
    expect(dirs).toEqual(["same-second", ...[2, 3, 4, 5, 6, 7, 8].map((n) => `same-second-${n}`)].sort());
    // Each directory holds the tree of the write that returned it, and no temporary sibling is left.
    for (const d of done) expect(readFileSync(path.join(d.dir, "who"), "utf8")).toBe(String(d.result));
    expect(readdirSync(dir).filter((n) => n.startsWith(".same-second"))).toEqual([]);
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
