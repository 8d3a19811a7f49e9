import { Table, Utf8, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import { indexToString } from "../../stages/index-to-string.js";
import { isStringIndexerModel, stringIndexer } from "../../stages/string-indexer.js";

const ctx = quietContext();
const orders = ["frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc"] as const;

describe("string-indexer then index-to-string", () => {
  it("gives back every original string (any unicode, any label order)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "grapheme", maxLength: 6 }), { minLength: 1, maxLength: 80 }),
        fc.constantFrom(...orders),
        async (xs, order) => {
          const table = new Table({ s: vectorFromArray(xs, new Utf8()) });
          const model = await buildStage(stringIndexer, { inputCol: "s", outputCol: "i", stringOrderType: order }).fit(table, ctx);
          if (!isStringIndexerModel(model)) throw new Error("not a StringIndexerModel");
          const indexed = await model.transform(table, ctx);
          const back = await buildStage(indexToString, { inputCol: "i", outputCol: "t", labels: model.labelsArray[0] }).transform(indexed, ctx);
          expect([...(back.getChild("t") as Iterable<unknown>)]).toEqual(xs);
          // The indexer's labels are exactly the distinct inputs.
          expect([...model.labelsArray[0]].sort()).toEqual([...new Set(xs)].sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});
