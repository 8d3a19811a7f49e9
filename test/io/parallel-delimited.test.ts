/**
 * A large CSV read on several threads gives the table one thread gives, to the byte, or declines (undefined) so that
 * one thread reads it and says what is wrong with its own line numbers. The parallel path is exercised on small files
 * through its `parallelMinBytes`, and once through readTable on a file past the real threshold.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { tableToIPC, type Table } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { readDelimited, type DelimitedOptions } from "../../src/io/delimited-reader.js";
import { PARALLEL_MIN_BYTES, readDelimitedInParallel } from "../../src/io/parallel-delimited.js";
import { readTable } from "../../src/io/read-table.js";
import { LEADING_ZEROS_KEY } from "../../src/core/table.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-parallel-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CSV: DelimitedOptions = { delimiter: ",", header: true, encoding: "utf-8" };
const ipc = (t: Table) => Buffer.from(tableToIPC(t, "file"));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** n rows of user,item,rating,ts with ids that repeat, like a ratings log. */
function ratings(n: number, row: (r: number) => string = (r) => `${(r * 7919) % 5003},${(r * 104729) % 997},${1 + (r % 5) / 2},${1_100_000_000 + r}`): string {
  const lines = ["userId,movieId,rating,timestamp"];
  for (let r = 0; r < n; r++) lines.push(row(r));
  return lines.join("\n") + "\n";
}

async function bothWays(file: string, workers: number, opts: DelimitedOptions = CSV) {
  const parallel = await readDelimitedInParallel(file, { ...opts, parallelMinBytes: 0 }, workers);
  const single = await readDelimited(file, opts);
  return { parallel: parallel?.table, single };
}

describe("parallel CSV read", () => {
  it.each([2, 3, 4])("joins %i ranges into the one-thread table, byte for byte", async (workers) => {
    const file = write(`plain-${workers}.csv`, ratings(20_000));
    const { parallel, single } = await bothWays(file, workers);
    expect(parallel, "the parallel path declined a plain numeric file").toBeDefined();
    expect(parallel!.numRows).toBe(20_000);
    expect(ipc(parallel!).equals(ipc(single))).toBe(true);
  });

  it("keeps CRLF line ends, blank lines, a last line without a line end, a BOM, a multi-byte delimiter and declared types", async () => {
    const body = ratings(5_000).trimEnd().split("\n");
    body.splice(2_000, 0, "", "");
    const file = write("mixed.csv", "\ufeff" + body.join("\r\n"));
    const a = await bothWays(file, 3);
    expect(a.parallel).toBeDefined();
    expect(ipc(a.parallel!).equals(ipc(a.single))).toBe(true);

    const colons = write("colons.dat", ratings(5_000).replaceAll(",", "::"));
    const opts: DelimitedOptions = { delimiter: "::", header: true, encoding: "utf-8", types: { rating: "float32", timestamp: "int64" } };
    const b = await bothWays(colons, 2, opts);
    expect(b.parallel).toBeDefined();
    expect(String(b.parallel!.schema.fields[2].type)).toBe("Float32");
    expect(ipc(b.parallel!).equals(ipc(b.single))).toBe(true);

    const renamed = await bothWays(write("renamed.csv", ratings(3_000)), 2, { ...CSV, columns: ["u", "i", "r", "t"] });
    expect(renamed.parallel!.schema.fields.map((f) => f.name)).toEqual(["u", "i", "r", "t"]);
    expect(ipc(renamed.parallel!).equals(ipc(renamed.single))).toBe(true);
  });

  it("keeps the leading-zero warning of the first range, row numbers included", async () => {
    const file = write(
      "zeros.csv",
      ratings(4_000, (r) => `${r === 10 ? "007" : r},${r % 50},1,${r}`),
    );
    const { parallel, single } = await bothWays(file, 2);
    expect(parallel!.schema.fields[0].metadata.get(LEADING_ZEROS_KEY)).toMatch(/"007" \(data row 11\) became 7/);
    expect(ipc(parallel!).equals(ipc(single))).toBe(true);
  });

  it.each([
    ["a quoted field", (r: number) => (r === 3_500 ? `"1",2,3,4` : `${r},${r % 9},1,${r}`)],
    ["text in a later range's numeric column", (r: number) => (r === 3_500 ? `u1,2,3,4` : `${r},${r % 9},1,${r}`)],
    ["a row with a field too many", (r: number) => (r === 3_500 ? `1,2,3,4,5` : `${r},${r % 9},1,${r}`)],
    ["an empty field", (r: number) => (r === 3_500 ? `1,,3,4` : `${r},${r % 9},1,${r}`)],
    ["a NaN", (r: number) => (r === 3_500 ? `1,2,NaN,4` : `${r},${r % 9},1,${r}`)],
    ["integers in one range, a decimal in another", (r: number) => (r === 3_500 ? `1,2,3.5,4` : `${r},${r % 9},1,${r}`)],
    ["a leading zero only in a later range", (r: number) => (r === 3_500 ? `01,2,3,4` : `${r},${r % 9},1,${r}`)],
  ])("declines %s (one thread reads the file)", async (_what, row) => {
    const file = write("declined.csv", ratings(4_000, row));
    expect(await readDelimitedInParallel(file, { ...CSV, parallelMinBytes: 0 }, 2)).toBeUndefined();
  });

  it("declines string columns, a header wider than columns, and files below the threshold", async () => {
    const file = write("plain.csv", ratings(4_000));
    expect(await readDelimitedInParallel(file, { ...CSV, types: { userId: "string" }, parallelMinBytes: 0 }, 2)).toBeUndefined();
    expect(await readDelimitedInParallel(file, { ...CSV, columns: ["a", "b", "c"], parallelMinBytes: 0 }, 2)).toBeUndefined();
    expect(await readDelimitedInParallel(file, CSV, 2)).toBeUndefined();
  });

  it("readTable with 2 workers on a file past the threshold: the same table, and a bad line named as one thread names it", async () => {
    // About 20 bytes a row: 10% past the threshold.
    const rows = Math.ceil((PARALLEL_MIN_BYTES * 1.1) / 20);
    const good = write("big.csv", ratings(rows));
    expect(await readDelimitedInParallel(good, CSV, 2), "the file is past the threshold and plain: the parallel path takes it").toBeDefined();
    const one = await readTable(good, { workers: 1 });
    const two = await readTable(good, { workers: 2 });
    expect(two.numRows).toBe(rows);
    expect(ipc(two).equals(ipc(one))).toBe(true);

    const bad = write(
      "big-bad.csv",
      ratings(rows, (r) => (r === rows - 10 ? `1,2,3` : `${(r * 7919) % 5003},${r % 997},1,${r}`)),
    );
    const message = (p: Promise<unknown>) =>
      p.then(
        () => "no error",
        (e: Error) => e.message,
      );
    const expected = `big-bad.csv:${rows - 10 + 2}: expected 4 fields, found 3`;
    expect(await message(readTable(bad, { workers: 1 }))).toBe(expected);
    expect(await message(readTable(bad, { workers: 2 }))).toBe(expected);
  }, 120_000);
});
