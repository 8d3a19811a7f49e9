import { Field, List, Float32, Float64, Int32, makeVector, Table, Utf8, Dictionary, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { isInputError } from "../../src/core/errors.js";
import { quietContext } from "../../src/core/run-context.js";
import type { Model } from "../../src/core/stage.js";
import { isStringIndexerModel, labelsTable, stringIndexer, type StringIndexerModel } from "../../stages/string-indexer.js";

const ctx = quietContext();
const strings = (xs: (string | null)[]) => vectorFromArray(xs, new Utf8());
const dict = (xs: (string | null)[]) => vectorFromArray(xs, new Dictionary(new Utf8(), new Int32()));

async function fitOn(table: Table, raw: Record<string, unknown>): Promise<StringIndexerModel> {
  const m = await buildStage(stringIndexer, raw).fit(table, ctx);
  if (!isStringIndexerModel(m)) throw new Error("not a StringIndexerModel");
  return m;
}
const col = (t: Table, name: string) => [...(t.getChild(name) as Iterable<unknown>)];

describe("string-indexer fit: Spark's label orders", () => {
  // a:3, b:2, c:2, d:1 — b and c tie.
  const t = new Table({ s: strings(["c", "a", "b", "a", "d", "c", null, "b", "a"]) });
  it.each([
    ["frequencyDesc", ["a", "b", "c", "d"]],
    ["frequencyAsc", ["d", "b", "c", "a"]],
    ["alphabetAsc", ["a", "b", "c", "d"]],
    ["alphabetDesc", ["d", "c", "b", "a"]],
  ])("%s (nulls not counted, ties by string ascending)", async (order, labels) => {
    const m = await fitOn(t, { inputCol: "s", outputCol: "i", stringOrderType: order });
    expect(m.labelsArray).toEqual([labels]);
  });

  it("orders by UTF-16 code units like Scala (uppercase before lowercase)", async () => {
    const m = await fitOn(new Table({ s: strings(["b", "B", "a", "\u00e9"]) }), { inputCol: "s", stringOrderType: "alphabetAsc" });
    expect(m.labelsArray[0]).toEqual(["B", "a", "b", "\u00e9"]);
  });

  it("gives the same labels for dictionary-encoded and plain strings", async () => {
    const xs = ["x", "y", "x", null, "z", "y", "x"];
    const a = await fitOn(new Table({ s: strings(xs) }), { inputCol: "s" });
    const b = await fitOn(new Table({ s: dict(xs) }), { inputCol: "s" });
    expect(b.labelsArray).toEqual(a.labelsArray);
    expect(a.labelsArray[0]).toEqual(["x", "y", "z"]);
  });

  it("casts numeric inputs to string as Spark does (NaN is null)", async () => {
    const ints = await fitOn(new Table({ n: makeVector(new Int32Array([5, 7, 5, 10])) }), { inputCol: "n" });
    expect(ints.labelsArray[0]).toEqual(["5", "10", "7"]);
    const dbl = await fitOn(new Table({ n: makeVector(new Float64Array([5, 1e7, NaN, 5, 0.5])) }), { inputCol: "n" });
    expect(dbl.labelsArray[0]).toEqual(["5.0", "0.5", "1.0E7"]);
    const tr = dbl.transform(new Table({ n: makeVector(new Float64Array([0.5, 5])) }), ctx) as Table;
    expect(col(tr, "n__out".replace("n__out", `${dbl.uid}__output`))).toEqual([1, 0]);
  });
});

describe("string-indexer transform", () => {
  const train = new Table({ s: strings(["a", "b", "a", "c", "a", "b"]) }); // a:0 b:1 c:2
  const test = new Table({ s: strings(["b", "z", null, "c"]), v: makeVector(new Float32Array([1, 2, 3, 4])) });

  it("outputs Double indices in position of the labels", async () => {
    const m = await fitOn(train, { inputCol: "s", outputCol: "i" });
    const out = m.transform(train, ctx) as Table;
    expect(out.schema.fields.find((f) => f.name === "i")!.type).toBeInstanceOf(Float64);
    expect(col(out, "i")).toEqual([0, 1, 0, 2, 0, 1]);
  });

  it("maps each output column back to its labels and input column (for recommendations with original ids)", async () => {
    const two = new Table({ u: strings(["x", "y", "y"]), i: strings(["p", "p", "q"]) });
    const m = await fitOn(two, { inputCols: ["u", "i"], outputCols: ["uIdx", "iIdx"] });
    expect(m.labelsFor("uIdx")).toEqual(["y", "x"]);
    expect(m.labelsFor("iIdx")).toEqual(["p", "q"]);
    expect(m.inputColFor("iIdx")).toBe("i");
    expect(m.labelsFor("u")).toBeUndefined();
    expect(m.inputColFor("nope")).toBeUndefined();
  });

  it("handleInvalid error: unseen label and NULL are InputErrors naming the column", async () => {
    const m = await fitOn(train, { inputCol: "s", outputCol: "i" });
    const unseen = new Table({ s: strings(["a", "z"]) });
    expect(() => m.transform(unseen, ctx)).toThrow(/column "s" row 1: Unseen label: z\. To handle unseen labels, set Param handleInvalid to keep\./);
    const withNull = new Table({ s: strings(["a", null]) });
    let err: unknown;
    try {
      m.transform(withNull, ctx);
    } catch (e) {
      err = e;
    }
    expect(isInputError(err)).toBe(true);
    expect(String((err as Error).message)).toMatch(
      /column "s" row 1: StringIndexer encountered NULL value\. To handle or skip NULLS, try setting StringIndexer\.handleInvalid\./,
    );
    expect((err as { code: string }).code).toBe("E_DATA");
  });

  it("handleInvalid skip drops unseen and null rows; keep maps them to numLabels", async () => {
    const skip = await fitOn(train, { inputCol: "s", outputCol: "i", handleInvalid: "skip" });
    const s = skip.transform(test, ctx) as Table;
    expect(col(s, "i")).toEqual([1, 2]);
    expect(col(s, "v")).toEqual([1, 4]);
    const keep = await fitOn(train, { inputCol: "s", outputCol: "i", handleInvalid: "keep" });
    expect(col(keep.transform(test, ctx) as Table, "i")).toEqual([1, 3, 3, 2]);
  });

  it("multi-column: each column has its own labels; skip drops a row invalid in any column", async () => {
    const t = new Table({ u: strings(["u1", "u2", "u1"]), it: makeVector(new Int32Array([3, 3, 4])) });
    const m = await fitOn(t, { inputCols: ["u", "it"], outputCols: ["ui", "ii"], handleInvalid: "skip" });
    expect(m.labelsArray).toEqual([
      ["u1", "u2"],
      ["3", "4"],
    ]);
    expect(m.inputCols).toEqual(["u", "it"]);
    expect(m.outputCols).toEqual(["ui", "ii"]);
    const out = m.transform(new Table({ u: strings(["u2", "u9", "u1"]), it: makeVector(new Int32Array([4, 3, 7])) }), ctx) as Table;
    expect(col(out, "ui")).toEqual([1]);
    expect(col(out, "ii")).toEqual([1]);
  });

  it("skips a missing input column with a warning, as Spark does", async () => {
    const t = new Table({ u: strings(["a"]), it: strings(["x"]) });
    const m = await fitOn(t, { inputCols: ["u", "it"], outputCols: ["ui", "ii"] });
    const warnings: string[] = [];
    const out = m.transform(new Table({ u: strings(["a"]) }), quietContext({ warn: (w) => warnings.push(w) })) as Table;
    expect(out.schema.fields.map((f) => f.name)).toEqual(["u", "ui"]);
    expect(warnings.join()).toMatch(/"it" is not in the data/);
  });

  it("uses uid__output as the default output column", async () => {
    const m = await fitOn(train, { inputCol: "s" });
    expect(m.outputCols).toEqual([`${m.uid}__output`]);
  });
});

describe("string-indexer params", () => {
  it.each([
    [{ inputCol: "a", inputCols: ["a"], outputCols: ["b"] }, /inputCols cannot be set together with inputCol/],
    [{}, /inputCol is required/],
    [{ inputCols: ["a", "b"], outputCols: ["x"] }, /outputCols must have as many entries as inputCols \(2\); got 1/],
    [{ inputCols: ["a", "b"], outputCols: ["x", "x"] }, /outputCols must be distinct/],
    [{ inputCols: ["a"], outputCols: ["x"], outputCol: "y" }, /outputCol cannot be used with inputCols/],
    [{ inputCol: "a", stringOrderType: "frequency" }, /stringOrderType must be one of/],
  ])("rejects %j", (raw, msg) => {
    expect(() => buildStage(stringIndexer, raw)).toThrow(msg);
  });
});

describe("string-indexer persistence", () => {
  it("saves Spark's layout: param maps and one labelsArray row", async () => {
    const m = await fitOn(new Table({ s: strings(["a", "b", "b"]) }), { inputCol: "s", handleInvalid: "keep" });
    const s = m.save();
    expect(s.className).toBe("org.apache.spark.ml.feature.StringIndexerModel");
    expect(s.paramMap).toEqual({ inputCol: "s", handleInvalid: "keep" });
    expect(s.defaultParamMap).toEqual({ outputCol: `${m.uid}__output`, stringOrderType: "frequencyDesc" });
    const data = s.tables!.data;
    expect(data.numRows).toBe(1);
    expect(String(data.schema.fields[0].type)).toBe("List<List<Utf8>>");
  });

  it("loads Spark 2.x `labels` as well as labelsArray", () => {
    const loader = stringIndexer.loaders!["org.apache.spark.ml.feature.StringIndexerModel"];
    const legacy = new Table({ labels: vectorFromArray([["x", "y"]], new List(new Field("element", new Utf8(), true))) });
    const m = loader(
      { className: "org.apache.spark.ml.feature.StringIndexerModel", uid: "strIdx_1", paramMap: { inputCol: "s", outputCol: "o" }, tables: { data: legacy } },
      () => {
        throw new Error("no children");
      },
    ) as Model;
    expect((m as StringIndexerModel).labelsArray).toEqual([["x", "y"]]);
    expect(col(m.transform(new Table({ s: strings(["y", "x"]) }), ctx) as Table, "o")).toEqual([1, 0]);
  });

  it("loads Spark multi-column metadata where defaultParamMap carries outputCol", async () => {
    const loader = stringIndexer.loaders!["org.apache.spark.ml.feature.StringIndexerModel"];
    const m = loader(
      {
        className: "org.apache.spark.ml.feature.StringIndexerModel",
        uid: "strIdx_2",
        paramMap: { inputCols: ["a", "b"], outputCols: ["ai", "bi"] },
        defaultParamMap: { outputCol: "strIdx_2__output", handleInvalid: "error", stringOrderType: "frequencyDesc" },
        tables: { data: labelsTable([["p"], ["q", "r"]]) },
      },
      () => {
        throw new Error("no children");
      },
    ) as StringIndexerModel;
    expect(m.outputCols).toEqual(["ai", "bi"]);
    expect(m.save().defaultParamMap).toEqual({ outputCol: "strIdx_2__output", handleInvalid: "error", stringOrderType: "frequencyDesc" });
  });

  it("indexes 1M dictionary-encoded rows through typed arrays", async () => {
    const n = 1_000_000;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = (i * 7919) % 1000;
    const labels = vectorFromArray(
      Array.from({ length: 1000 }, (_, i) => `id${i}`),
      new Utf8(),
    );
    const { makeData, Dictionary: D } = await import("apache-arrow");
    const type = new D(new Utf8(), new Int32());
    const v = makeVector(makeData({ type, length: n, nullCount: 0, data: idx, dictionary: labels }));
    const m = await fitOn(new Table({ s: v }), { inputCol: "s", outputCol: "i" });
    expect(m.labelsArray[0].length).toBe(1000);
    const out = m.transform(new Table({ s: v }), ctx) as Table;
    const vals = out.getChild("i")!.toArray() as Float64Array;
    expect(m.labelsArray[0][vals[12345]]).toBe(`id${idx[12345]}`);
  });
});
void Float32;
