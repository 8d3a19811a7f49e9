/**
 * Integer id columns are counted and looked up by value (src/core/integer-values.ts), not through string codes: the
 * labels, their order, the indices and every handleInvalid outcome must be those of the same ids read as strings.
 */
import { Int16, Int32, Table, Uint32, Utf8, vectorFromArray, type DataType } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { isInputError } from "../../src/core/errors.js";
import { SeededRandom } from "../../src/core/rng.js";
import { quietContext } from "../../src/core/run-context.js";
import type { Model } from "../../src/core/stage.js";
import { stringIndexer, type StringIndexerModel } from "../../stages/string-indexer.js";

const ctx = quietContext();
const ids = (r: SeededRandom, n: number, span: number, offset: number, nulls: number) =>
  Array.from({ length: n }, () => (r.nextDouble() < nulls ? null : offset + Math.floor(span * r.nextDouble() ** 2)));

async function indexed(train: Table, test: Table, raw: Record<string, unknown>): Promise<{ labels: string[][]; rows: unknown[] } | string> {
  try {
    const m = (await buildStage(stringIndexer, { inputCol: "id", outputCol: "ix", ...raw }).fit(train, ctx)) as StringIndexerModel;
    const out = await (m as Model).transform(test, ctx);
    return { labels: m.labelsArray, rows: [...(out.getChild("ix") as Iterable<unknown>)] };
  } catch (e) {
    if (!isInputError(e)) throw e;
    return (e as Error).message;
  }
}

const asStrings = (xs: (number | null)[]) =>
  vectorFromArray(
    xs.map((x) => (x === null ? null : String(x))),
    new Utf8(),
  );

describe("string-indexer on integer ids", () => {
  const r = new SeededRandom(11);
  const cases: [string, DataType, number, number, number][] = [
    ["Int32 with nulls and negative ids", new Int32(), 300, -150, 0.05],
    ["Int32 without nulls", new Int32(), 40, 7, 0],
    ["Int16", new Int16(), 90, -20, 0.02],
    ["Uint32 above the Int32 range", new Uint32(), 50, 3_000_000_000, 0],
    ["Int32 over a range too wide to index by value", new Int32(), 2_000_000_000, -1_000_000_000, 0.01],
  ];
  it.each(cases)("%s: the same labels, indices and errors as the ids written as strings", async (_, type, span, offset, nulls) => {
    const trainIds = ids(r, 3000, span, offset, nulls);
    // Test ids beyond the train range: unseen labels for keep, skip and error.
    const testIds = [...ids(r, 500, span, offset, nulls), offset + span + 5, ...(nulls > 0 ? [null] : [])];
    const ints = (xs: (number | null)[]) => new Table({ id: vectorFromArray(xs, type) });
    const strs = (xs: (number | null)[]) => new Table({ id: asStrings(xs) });
    // In two chunks, sliced: values of a sliced chunk start at its first row.
    const chunked = ints(trainIds.slice(0, 1000)).concat(ints(trainIds.slice(1000)).slice(0));
    for (const order of ["frequencyDesc", "frequencyAsc", "alphabetAsc", "alphabetDesc"])
      for (const handleInvalid of ["keep", "skip", "error"]) {
        const want = await indexed(strs(trainIds), strs(testIds), { stringOrderType: order, handleInvalid });
        expect(await indexed(ints(trainIds), ints(testIds), { stringOrderType: order, handleInvalid })).toEqual(want);
        expect(await indexed(chunked, ints(testIds).slice(1), { stringOrderType: order, handleInvalid })).toEqual(
          await indexed(strs(trainIds), strs(testIds).slice(1), { stringOrderType: order, handleInvalid }),
        );
      }
    const err = await indexed(ints(trainIds), ints([offset + span + 5]), { handleInvalid: "error" });
    expect(err).toMatch(new RegExp(`row 0: Unseen label: ${offset + span + 5}\\.`));
  });
});
