import { DataType, type Dictionary } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { readTable } from "../../src/io/read-table.js";
import { columnValues, tempDir } from "./fixtures.js";

const { file } = tempDir();

async function expectInputError(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).exitCode).toBe(2);
  expect((err as Error).message).toMatch(pattern);
}

describe("readTable csv/tsv: types", () => {
  it("infers int32, float64 and dictionary-encoded strings", async () => {
    const t = await readTable(file("a.csv", "user,item,rating,ts\nu1,10,4.5,100\nu2,11,3,200\nu1,12,1e2,300\n"));
    expect(t.numRows).toBe(3);
    expect(String(t.schema.fields.map((f) => String(f.type)))).toBe("Dictionary<Int32, Utf8>,Int32,Float64,Int32");
    expect(columnValues(t, "user")).toEqual(["u1", "u2", "u1"]);
    expect(columnValues(t, "rating")).toEqual([4.5, 3, 100]);
    const user = t.getChild("user")!;
    expect(Array.from(user.data[0].values as Int32Array)).toEqual([0, 1, 0]);
    const dict = (user.data[0] as unknown as { dictionary: { toArray(): string[] } }).dictionary;
    expect(Array.from(dict.toArray())).toEqual(["u1", "u2"]);
    expect(DataType.isDictionary(user.type) && DataType.isUtf8((user.type as Dictionary).dictionary)).toBe(true);
  });

  it("widens int32 to float64 for integers beyond int32 and turns a column with text (late) into strings", async () => {
    const rows = ["a,b"];
    for (let i = 0; i < 5000; i++) rows.push(`${i},${i}`);
    rows.push("3000000000,x7");
    const t = await readTable(file("widen.csv", rows.join("\n") + "\n"));
    expect(String(t.schema.fields[0].type)).toBe("Float64");
    expect(String(t.schema.fields[1].type)).toBe("Dictionary<Int32, Utf8>");
    expect(t.getChild("a")!.get(5000)).toBe(3000000000);
    expect(t.getChild("b")!.get(0)).toBe("0");
    expect(t.getChild("b")!.get(5000)).toBe("x7");
  });

  it("parses numbers exactly like Number() for ordinary and long decimals", async () => {
    const vals = ["1.2345", "-0.1", "0.30000000000000004", "123456789.123456789", "1e-300", "2.5E+3", "+7", "NaN", "-Infinity"];
    const t = await readTable(file("nums.csv", "x\n" + vals.join("\n") + "\n"));
    expect(columnValues(t, "x")).toEqual(vals.map((v) => Number(v)));
  });

  it("empty fields are null; a column of ints with gaps stays int32", async () => {
    const t = await readTable(file("nulls.csv", "a,b\n1,x\n,\n3,z\n"));
    expect(String(t.schema.fields[0].type)).toBe("Int32");
    expect(columnValues(t, "a")).toEqual([1, null, 3]);
    expect(columnValues(t, "b")).toEqual(["x", null, "z"]);
    expect(t.getChild("a")!.nullCount).toBe(1);
  });

  it("honours declared types: float32, string for numeric-looking ids, int64", async () => {
    const t = await readTable(file("typed.csv", "id,score,big\n007,0.1,9007199254740993\n8,2,1\n"), {
      types: { id: "string", score: "float32", big: "int64" },
    });
    expect(columnValues(t, "id")).toEqual(["007", "8"]);
    expect(String(t.schema.fields[1].type)).toBe("Float32");
    expect(t.getChild("score")!.get(0)).toBe(Math.fround(0.1));
    expect(t.getChild("big")!.get(0)).toBe(9007199254740993n);
  });
});

describe("readTable csv/tsv: syntax", () => {
  it('handles quotes with "" escapes, embedded delimiters and newlines, CRLF/LF mixed, BOM, blank lines at the end', async () => {
    const text = '\uFEFFname,note,n\r\n"Smith, J","said ""hi""\nthen left",1\n"plain",,2\r\nx,"",3\n\n\r\n';
    const t = await readTable(file("quotes.csv", text));
    expect(t.schema.fields.map((f) => f.name)).toEqual(["name", "note", "n"]);
    expect(columnValues(t, "name")).toEqual(["Smith, J", "plain", "x"]);
    expect(columnValues(t, "note")).toEqual(['said "hi"\nthen left', null, null]);
    expect(columnValues(t, "n")).toEqual([1, 2, 3]);
  });

  it("reads a headerless TSV with columns naming it (u.data shape)", async () => {
    const t = await readTable(file("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n"), {
      format: "tsv",
      columns: ["user", "item", "rating", "timestamp"],
    });
    expect(t.schema.fields.map((f) => f.name)).toEqual(["user", "item", "rating", "timestamp"]);
    expect(columnValues(t, "item")).toEqual([242, 302]);
  });

  it("names a headerless file _c0.. and renames a header with columns", async () => {
    const a = await readTable(file("nohead.csv", "1,2\n"), { header: false });
    expect(a.schema.fields.map((f) => f.name)).toEqual(["_c0", "_c1"]);
    const b = await readTable(file("rename.csv", "a,b\n1,2\n"), { header: true, columns: ["x", "y"] });
    expect(b.schema.fields.map((f) => f.name)).toEqual(["x", "y"]);
    expect(b.numRows).toBe(1);
  });

  it("decodes latin-1", async () => {
    const bytes = Uint8Array.from([...Buffer.from("city,n\n"), 0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, ...Buffer.from(",1\n")]);
    const t = await readTable(file("latin.csv", bytes), { encoding: "latin1" });
    expect(columnValues(t, "city")).toEqual(["München"]);
    expect(t.schema.fields[0].name).toBe("city");
  });

  it("reads a field larger than the 8 MB block (records spanning many blocks)", async () => {
    const big = "y".repeat(12 << 20);
    const t = await readTable(file("huge.csv", `a,b\n1,"${big}"\n2,short\n`));
    expect(t.numRows).toBe(2);
    expect((t.getChild("b")!.get(0) as string).length).toBe(12 << 20);
    expect(t.getChild("b")!.get(1)).toBe("short");
  });

  it("reports progress up to the file size", async () => {
    const p = file("progress.csv", "a\n1\n2\n");
    const seen: [number, number][] = [];
    await readTable(p, { onProgress: (r, total) => seen.push([r, total]) });
    expect(seen.at(-1)).toEqual([6, 6]);
  });
});

describe("readTable csv/tsv: errors name file and line", () => {
  it("wrong number of fields", async () => {
    const rows = ["a\tb\tc\td"];
    for (let i = 0; i < 1232; i++) rows.push("1\t2\t3\t4");
    rows.push("1\t2\t3");
    await expectInputError(readTable(file("u.tsv", rows.join("\n") + "\n")), /^u\.tsv:1234: expected 4 fields, found 3$/);
  });

  it("line numbers count newlines inside quoted fields", async () => {
    await expectInputError(readTable(file("ml.csv", 'a,b\n"x\ny",1\n2\n')), /^ml\.csv:4: expected 2 fields, found 1/);
  });

  it("declared numeric column with text", async () => {
    const rows = ["user,item,rating"];
    for (let i = 0; i < 15; i++) rows.push(`u${i},i${i},4`);
    rows.push("u,i,abc");
    await expectInputError(
      readTable(file("ratings.csv", rows.join("\n")), { types: { rating: "float64" } }),
      /^ratings\.csv:17 column rating: expected a number \(declared float64\), found 'abc'$/,
    );
    await expectInputError(readTable(file("int.csv", "n\n1.5\n"), { types: { n: "int32" } }), /int\.csv:2 column n: expected an integer/);
  });

  it("missing file, empty file, header only, unterminated quote, unknown declared column", async () => {
    await expectInputError(readTable("/nonexistent/r.csv"), /\/nonexistent\/r\.csv: cannot read file \(ENOENT\)/);
    await expectInputError(readTable(file("empty.csv", "")), /empty\.csv: file is empty \(no header and no rows\)/);
    await expectInputError(readTable(file("blank.csv", "\n\n")), /blank\.csv: file is empty/);
    await expectInputError(readTable(file("head.csv", "a,b\n")), /head\.csv: no data rows after the header/);
    await expectInputError(
      readTable(file("open.csv", 'a,b\n1,"abc\n2,3\n')),
      /open\.csv:2: unterminated quoted field \(no closing quote before the end of the file\)/,
    );
    await expectInputError(readTable(file("t.csv", "rating\n1\n"), { types: { ratng: "float64" } }), /did you mean "rating"/);
  });
});
