/**
 * A saved model that was damaged after it was written is refused on load (exit 2, naming the damaged file), never
 * read as data: every file carries Hadoop's `.crc` beside it, as Spark writes them, and recpipe checks them; factor ids
 * outside the pipeline's indexer range are refused even where no checksum is left to catch them.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFilesRecursive } from "../../src/io/atomic-dir.js";
import { crcFileName, hadoopCrc } from "../../src/io/hadoop-crc.js";
import { writeTable } from "../../src/io/write-table.js";
import { alsFactorTable } from "../io/als-factors.js";
import { runCli, runCliAsync } from "./run-cli.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-damaged-"));
let model: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  writeFileSync(
    path.join(dir, "p.yaml"),
    `name: damaged
source: {type: synthetic-ratings, users: 80, items: 50, rank: 2, density: 0.3}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, rank: 3, maxIter: 2, coldStartStrategy: drop}
`,
  );
  const r = await runCliAsync(["run", "p.yaml", "--json", "--quiet", "--workers", "1"], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  model = path.join((JSON.parse(r.stdout) as { runDir: string }).runDir, "model");
});

/** A copy of the model for one case. */
function copy(name: string): string {
  const d = path.join(dir, name);
  cpSync(model, d, { recursive: true });
  return d;
}

function firstUser(m: string): string {
  const r = runCli(["recommend", "--model", m, "--all", "-k", "1", "--format", "json"]);
  expect(r.code, r.stderr).toBe(0);
  return String((JSON.parse(r.stdout) as { recommendations: { user: unknown }[] }).recommendations[0].user);
}

describe("saved models carry Hadoop .crc files", () => {
  it("beside every file, each the exact checksum of its file", async () => {
    const files = await listFilesRecursive(model);
    const data = files.filter((f) => !path.basename(f).endsWith(".crc"));
    expect(data.some((f) => f.endsWith(".parquet"))).toBe(true);
    for (const f of data) {
      const crc = path.join(path.dirname(f), crcFileName(path.basename(f)));
      expect(files, `${f} has no ${crc}`).toContain(crc);
      expect(Buffer.from(hadoopCrc(readFileSync(path.join(model, f)))).equals(readFileSync(path.join(model, crc))), crc).toBe(true);
    }
  });

  it("the checksum format is Hadoop's: 'crc\\0', chunk size 512 (big-endian), CRC-32 per 512-byte chunk", () => {
    // Expected values computed with Python's zlib.crc32 on the same bytes.
    const bytes = Buffer.from(Array.from({ length: 768 }, (_, i) => i % 256));
    expect(Buffer.from(hadoopCrc(bytes)).toString("hex")).toBe("63726300" + "00000200" + "1c613576" + "29058c73");
    expect(Buffer.from(hadoopCrc(new Uint8Array(0))).toString("hex")).toBe("6372630000000200");
  });
});

const KINDS: { kind: string; pick: (files: string[]) => string }[] = [
  { kind: "pipeline metadata", pick: (f) => f.find((x) => x === "metadata/part-00000")! },
  { kind: "indexer metadata", pick: (f) => f.find((x) => /^stages\/0_[^/]+\/metadata\/part-00000$/.test(x))! },
  { kind: "indexer labels Parquet", pick: (f) => f.find((x) => /^stages\/0_[^/]+\/data\/part-.*\.parquet$/.test(x))! },
  { kind: "ALS metadata", pick: (f) => f.find((x) => /^stages\/1_[^/]+\/metadata\/part-00000$/.test(x))! },
  { kind: "userFactors Parquet", pick: (f) => f.find((x) => /userFactors\/part-.*\.parquet$/.test(x))! },
  { kind: "itemFactors Parquet", pick: (f) => f.find((x) => /itemFactors\/part-.*\.parquet$/.test(x))! },
];

describe("one byte changed in any kind of file is refused on load, naming the file", () => {
  for (const { kind, pick } of KINDS) {
    it(kind, async () => {
      const m = copy(`flip-${kind.replace(/\W+/g, "-")}`);
      const file = pick(await listFilesRecursive(m));
      expect(file, kind).toBeDefined();
      const bytes = readFileSync(path.join(m, file));
      // A digit in the middle of the JSON stays valid JSON: only the checksum can tell.
      const at = bytes.length >> 1;
      bytes[at] = /[0-9]/.test(String.fromCharCode(bytes[at])) ? (bytes[at] === 0x39 ? 0x38 : bytes[at] + 1) : bytes[at] ^ 0x01;
      writeFileSync(path.join(m, file), bytes);
      for (const args of [
        ["inspect", m],
        ["recommend", "--model", m, "--all", "-k", "3"],
      ]) {
        const r = runCli(args);
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(`${file}: checksum mismatch in bytes`);
        expect(r.stderr).not.toContain("__unknown_");
      }
    });
  }

  it("a truncated file is refused too", async () => {
    const m = copy("truncated");
    const file = (await listFilesRecursive(m)).find((x) => /userFactors\/part-.*\.parquet$/.test(x))!;
    const bytes = readFileSync(path.join(m, file));
    writeFileSync(path.join(m, file), bytes.subarray(0, bytes.length - 600));
    const r = runCli(["inspect", m]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/userFactors\/part-.*\.parquet: \d+ bytes, but its checksum file .* covers \d+ chunk/);
  });
});

describe("without .crc files", () => {
  it("a model loads (older and hand-made directories have none)", async () => {
    const m = copy("no-crc");
    for (const f of await listFilesRecursive(m)) if (f.endsWith(".crc")) unlinkSync(path.join(m, f));
    const r = runCli(["recommend", "--model", m, "--user", firstUser(model), "-k", "2"]);
    expect(r.code, r.stderr).toBe(0);
  });

  it("factor ids beyond the indexer's labels are refused, naming the factor folder", async () => {
    const m = copy("bad-ids");
    const als = readdirSync(path.join(m, "stages")).find((d) => d.startsWith("1_"))!;
    const folder = path.join(m, "stages", als, "userFactors");
    for (const f of readdirSync(folder, { withFileTypes: false }) as string[]) unlinkSync(path.join(folder, f));
    // 80 users were indexed (ids 0-79 at most): id -65495 and 65495 cannot be theirs.
    await writeTable(alsFactorTable([-65495, 0, 1, 65495], 3), path.join(folder, "part-00000.parquet"), { format: "parquet" });
    for (const args of [
      ["inspect", m],
      ["recommend", "--model", m, "--all", "-k", "2"],
    ]) {
      const r = runCli(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`stages/${als}/userFactors: id -65495 is outside the range of the string indexer that produces column "u"`));
    }
  });
});
