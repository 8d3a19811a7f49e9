import { makeVector, Table, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import type { Transformer } from "../../src/core/stage.js";
import { binarizer } from "../../stages/binarizer.js";
import { dropDuplicates } from "../../stages/drop-duplicates.js";
import { dropNa } from "../../stages/drop-na.js";
import { minCountFilter, minCountMask } from "../../stages/min-count-filter.js";
import { createRegistry } from "../../stages/index.js";

const ctx = quietContext();
const col = (t: Table, name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<unknown>);
const apply = async (def: Parameters<typeof buildStage>[0], params: Record<string, unknown>, t: Table) =>
  (buildStage(def, params) as Transformer).transform(t, ctx);

describe("drop-na (Spark's na.drop)", () => {
  const t = new Table({
    id: makeVector(new Int32Array([0, 1, 2, 3, 4])),
    a: vectorFromArray([1, null, NaN, 4, null]),
    b: vectorFromArray(["x", "y", null, null, null]),
  });
  it("how any drops a row with null or NaN in any column of cols", async () => {
    expect(col(await apply(dropNa, { cols: ["a", "b"] }, t), "id")).toEqual([0]);
    expect(col(await apply(dropNa, { cols: ["a"] }, t), "id")).toEqual([0, 3]);
  });
  it("how all drops a row only when every column is missing; thresh keeps rows with enough values", async () => {
    expect(col(await apply(dropNa, { cols: ["a", "b"], how: "all" }, t), "id")).toEqual([0, 1, 3]);
    expect(col(await apply(dropNa, { thresh: 3 }, t), "id")).toEqual([0]);
    expect(col(await apply(dropNa, { thresh: 2, how: "all" }, t), "id")).toEqual([0, 1, 3]);
  });
  it("names a missing column", async () => {
    await expect(apply(dropNa, { cols: ["nope"] }, t)).rejects.toThrow(/drop-na\.cols\[0\]: column "nope" not found/);
  });
});

describe("drop-duplicates", () => {
  const t = new Table({
    user: vectorFromArray(["a", "a", "b", "a", "b", "c"]),
    item: makeVector(new Int32Array([1, 1, 1, 1, 2, 1])),
    ts: makeVector(new Float64Array([5, 3, 1, 5, 9, 0])),
    row: makeVector(new Int32Array([0, 1, 2, 3, 4, 5])),
  });
  it("keep first / last in file order without orderBy; survivors stay in file order", async () => {
    expect(col(await apply(dropDuplicates, { cols: ["user", "item"] }, t), "row")).toEqual([0, 2, 4, 5]);
    expect(col(await apply(dropDuplicates, { cols: ["user", "item"], keep: "last" }, t), "row")).toEqual([2, 3, 4, 5]);
  });
  it("orderBy ascending with ties broken by position: first is the smallest (ts, row), last the largest", async () => {
    expect(col(await apply(dropDuplicates, { cols: ["user", "item"], orderBy: "ts" }, t), "row")).toEqual([1, 2, 4, 5]);
    // rows 0 and 3 tie at ts 5: last takes the later one
    expect(col(await apply(dropDuplicates, { cols: ["user", "item"], keep: "last", orderBy: "ts" }, t), "row")).toEqual([2, 3, 4, 5]);
  });
  it("keep error names the first duplicate; orderBy with a null is exit 2 naming the column", async () => {
    await expect(apply(dropDuplicates, { cols: ["user", "item"], keep: "error" }, t)).rejects.toThrow(
      /rows 0 and 1 are duplicates on \[user, item\] \(user=a, item=1\)/,
    );
    const withNull = new Table({ user: vectorFromArray(["a", "a"]), ts: vectorFromArray([1, null]) });
    await expect(apply(dropDuplicates, { cols: ["user"], orderBy: "ts" }, withNull)).rejects.toThrow(
      /drop-duplicates\.orderBy: column "ts" must hold a value in every row.*row 1 holds null/,
    );
  });
  it("matches a Map-based reference on random data, whatever the key encoding", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        async (rows, last) => {
          const table = new Table({
            u: vectorFromArray(rows.map((r) => `u${r[0]}`)),
            i: makeVector(Int32Array.from(rows.map((r) => r[1]))),
            ts: makeVector(Float64Array.from(rows.map((r) => r[2]))),
            row: makeVector(Int32Array.from(rows.map((_, k) => k))),
          });
          const best = new Map<string, number>();
          rows.forEach((r, k) => {
            const key = `${r[0]}/${r[1]}`;
            const b = best.get(key);
            if (b === undefined || (last ? r[2] >= rows[b][2] : r[2] < rows[b][2])) best.set(key, k);
          });
          const expected = [...best.values()].sort((a, b) => a - b);
          const got = await apply(dropDuplicates, { cols: ["u", "i"], keep: last ? "last" : "first", orderBy: "ts" }, table);
          expect(col(got, "row")).toEqual(expected);
        },
      ),
    );
  });
});

describe("min-count-filter", () => {
  /** The plain reference: recount with Maps until stable (the data-prep check's own loop). */
  function reference(rows: [number, number][], mu: number, mi: number, iterative: boolean): number[] {
    let alive = rows.map((_, k) => k);
    for (;;) {
      const cu = new Map<number, number>(),
        ci = new Map<number, number>();
      for (const k of alive) {
        cu.set(rows[k][0], (cu.get(rows[k][0]) ?? 0) + 1);
        ci.set(rows[k][1], (ci.get(rows[k][1]) ?? 0) + 1);
      }
      const keep = alive.filter((k) => cu.get(rows[k][0])! >= mu && ci.get(rows[k][1])! >= mi);
      if (!iterative || keep.length === alive.length) return keep;
      alive = keep;
    }
  }
  it("iterative k-core and one pass equal the reference on random data", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })), { maxLength: 120 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (rows, mu, mi, it) => {
          const { keep } = minCountMask(
            Int32Array.from(rows, (r) => r[0]),
            10,
            Int32Array.from(rows, (r) => r[1]),
            10,
            mu,
            mi,
            it,
          );
          const got = [...keep.keys()].filter((k) => keep[k]);
          expect(got).toEqual(reference(rows, mu, mi, it));
        },
      ),
    );
  });
  it("a k-core removes a chain of users that a single pass leaves", async () => {
    // item 3 has 1 row; dropping it leaves user c with 1 row, which the second round drops.
    const t = new Table({ user: vectorFromArray(["a", "a", "b", "b", "c", "c"]), item: makeVector(new Int32Array([1, 2, 1, 2, 1, 3])) });
    expect(col(await apply(minCountFilter, { minUserCount: 2, minItemCount: 2 }, t), "user")).toEqual(["a", "a", "b", "b", "c"]);
    expect(col(await apply(minCountFilter, { minUserCount: 2, minItemCount: 2, iterative: true }, t), "user")).toEqual(["a", "a", "b", "b"]);
  });
  it("runs 10M rows in a few seconds on typed arrays", async () => {
    const n = 10_000_000;
    const users = new Int32Array(n),
      items = new Int32Array(n);
    let x = 12345;
    for (let r = 0; r < n; r++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      users[r] = (x >>> 8) % 200_000;
      items[r] = (x >>> 3) % 50_000;
    }
    const t = new Table({ user: makeVector(users), item: makeVector(items) });
    const t0 = performance.now();
    const out = await apply(minCountFilter, { minUserCount: 5, minItemCount: 5, iterative: true }, t);
    const dedup = await apply(dropDuplicates, { cols: ["user", "item"] }, out);
    const seconds = (performance.now() - t0) / 1000;
    expect(dedup.numRows).toBeGreaterThan(0);
    // A generous bound on a shared, loaded machine: a per-row JavaScript object would take far longer.
    expect(seconds).toBeLessThan(20);
  }, 60_000);
});

describe("binarizer (Spark's Binarizer)", () => {
  it("1.0 strictly above the threshold, 0.0 at or below it, for NaN and for null; any numeric input", async () => {
    const t = new Table({ r: vectorFromArray([5, 3.5, NaN, null, 1, 4]), n: makeVector(new Int32Array([5, 3, 4, 0, 1, 2])) });
    const out = await apply(binarizer, { inputCol: "r", outputCol: "liked", threshold: 3.5 }, t);
    expect(col(out, "liked")).toEqual([1, 0, 0, 0, 0, 1]);
    expect(String(out.schema.fields.find((f) => f.name === "liked")!.type)).toBe("Float64");
    const multi = await apply(binarizer, { inputCols: ["r", "n"], outputCols: ["a", "b"], thresholds: [0, 3] }, t);
    expect(col(multi, "a")).toEqual([1, 1, 0, 0, 1, 1]);
    expect(col(multi, "b")).toEqual([1, 0, 1, 0, 0, 0]);
  });
  it("refuses an existing output column and Spark's invalid param combinations", async () => {
    const t = new Table({ r: vectorFromArray([1, 2]) });
    await expect(apply(binarizer, { inputCol: "r", outputCol: "r" }, t)).rejects.toThrow(/output column "r" already exists/);
    expect(() => buildStage(binarizer, { inputCol: "r", thresholds: [1] })).toThrow(/thresholds/);
    expect(() => buildStage(binarizer, { inputCols: ["r"], outputCols: ["a", "b"] })).toThrow(/outputCols/);
  });
  it("saves under Spark's class with double params and loads back", () => {
    const s = (buildStage(binarizer, { inputCols: ["r"], outputCols: ["a"], thresholds: [3] }) as Transformer).save();
    expect(s.className).toBe("org.apache.spark.ml.feature.Binarizer");
    const loaded = createRegistry().loaderFor(s.className)!(s, () => {
      throw new Error("no children");
    }) as Transformer;
    expect(loaded.params).toMatchObject({ inputCols: ["r"], outputCols: ["a"], thresholds: [3] });
  });
});
