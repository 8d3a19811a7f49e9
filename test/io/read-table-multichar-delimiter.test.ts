import { describe, expect, it } from "vitest";
import { readTable } from "../../src/io/read-table.js";
import { columnValues, tempDir } from "./fixtures.js";

const { file } = tempDir();

/** MovieLens 1M's ratings.dat separates fields with "::": multi-character delimiters, as `datasets fetch ml-1m` needs. */
describe("readTable with a multi-character delimiter", () => {
  it('reads "::" fields; a lone ":" inside a field is data, and quoted fields may hold the delimiter', async () => {
    const t = await readTable(file("r.dat", '1::a:b::5::978300760\n2::"x::y"::3.5::978302109\n3::::1::7\n'), {
      format: "csv",
      delimiter: "::",
      header: false,
      columns: ["user", "item", "rating", "ts"],
    });
    expect(columnValues(t, "user")).toEqual([1, 2, 3]);
    expect(columnValues(t, "item")).toEqual(["a:b", "x::y", null]); // an empty field is null, as with any delimiter
    expect(columnValues(t, "rating")).toEqual([5, 3.5, 1]);
    expect(columnValues(t, "ts")).toEqual([978300760, 978302109, 7]);
  });

  it("finds every row across the reader's 8 MB blocks, whatever byte a block ends on", async () => {
    const rows = 1_000_003;
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) lines.push(`${i}::${i % 3706}::${1 + (i % 5)}::${978300000 + i}`);
    const t = await readTable(file("big.dat", lines.join("\n") + "\n"), {
      format: "csv",
      delimiter: "::",
      header: false,
      columns: ["user", "item", "rating", "ts"],
    });
    expect(t.numRows).toBe(rows);
    const users = t.getChild("user")!.toArray() as Int32Array;
    const ratings = t.getChild("rating")!.toArray() as Int32Array;
    let bad = 0;
    for (let i = 0; i < rows; i++) if (users[i] !== i || ratings[i] !== 1 + (i % 5)) bad++;
    expect(bad).toBe(0);
  });

  it("the delimiter is matched left to right", async () => {
    const t = await readTable(file("colon.dat", "a:::b\nc::d\n"), { format: "csv", delimiter: "::", header: false, columns: ["x", "y"] });
    // "a:::b": the first "::" ends the field (as a left-to-right scan, like Spark's), leaving ":b".
    expect(columnValues(t, "x")).toEqual(["a", "c"]);
    expect(columnValues(t, "y")).toEqual([":b", "d"]);
  });
});
