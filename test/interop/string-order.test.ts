/**
 * StringIndexer's four label orders against real Spark's own output, on labels where UTF-16 code-unit order, UTF-8
 * byte (code point) order and locale order all disagree: characters beyond the BMP (surrogate pairs), CJK, the
 * private-use area and fullwidth forms. Spark 3.5 sorts Scala Strings (`labels.sorted`), i.e. by UTF-16 code units;
 * this test pins recpipe to whatever Spark does. Needs the Spark venv (see spark-env.ts for when it skips).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { createRegistry } from "../../stages/index.js";
import { quietContext } from "../../src/core/run-context.js";
import type { Estimator } from "../../src/core/stage.js";
import { runSparkScript } from "./run-spark-script.js";
import { sparkEnv } from "./spark-env.js";

const env = sparkEnv();
const ORDERS = ["frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc"] as const;
// U+1F600 and U+20000 are surrogate pairs (0xD83D.., 0xD840..): below U+E000..U+FFFF in UTF-16, above them in UTF-8.
const LABELS = [
  "a",
  "b",
  "\uff21",
  "\u{1F600}",
  "\u4e2d",
  "\u00e9",
  "\ue000",
  "\u{20000}",
  "Z",
  "\uffe5",
  "\u{1F600}",
  "a",
  "\u4e2d",
  "\u3042",
  "\uac00",
  "\u{1F600}",
];

async function recpipeOrder(order: string): Promise<string[]> {
  const def = createRegistry().get("string-indexer");
  const est = def.create(def.params.parse({ inputCol: "s", outputCol: "i", stringOrderType: order }) as never, {
    uid: "strIdx_test",
    name: "si",
    explicitParams: new Set(),
  }) as Estimator;
  const table = new Table({ s: vectorFromArray(LABELS, new Utf8()), n: makeVector(new Int32Array(LABELS.length)) });
  const model = await est.fit(table, quietContext({ workers: 1 }));
  return [...(model as unknown as { labelsFor(c: string): readonly string[] }).labelsFor("i")!];
}

describe.skipIf(!env.available)("StringIndexer label order = Spark's, beyond the BMP and in CJK", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-string-order-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every stringOrderType gives Spark's labelsArray", async () => {
    const file = path.join(dir, "labels.json");
    writeFileSync(file, JSON.stringify(LABELS));
    const spark = await runSparkScript<Record<string, string[]>>((env as { python: string }).python, "spark_string_order.py", [file]);
    for (const order of ORDERS) expect(await recpipeOrder(order), order).toEqual(spark[order]);
    // The case the order matters for: a supplementary character sorts before U+E000..U+FFFF, as in UTF-16.
    expect(spark.alphabetAsc.indexOf("\u{1F600}")).toBeLessThan(spark.alphabetAsc.indexOf("\ue000"));
  }, 600_000);
});
