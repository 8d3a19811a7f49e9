import { makeVector, Table } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomSplitTable } from "../../stages/random-split.js";
import { stratifiedSplitSides } from "../../stages/stratified-split.js";

/** Row ids (0..n-1) of a split side, sorted. */
const ids = (t: Table) => Array.from(t.getChild("row")!.toArray() as Int32Array).sort((a, b) => a - b);

const rowsArb = fc.array(fc.record({ user: fc.integer({ min: 0, max: 20 }), rating: fc.integer({ min: 1, max: 5 }) }), { minLength: 0, maxLength: 200 });
const weightsArb = fc.tuple(fc.double({ min: 0.01, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true }));

function tableOf(rows: { user: number; rating: number }[], order: number[]): Table {
  return new Table({
    row: makeVector(Int32Array.from(order)),
    user: makeVector(Int32Array.from(order, (i) => rows[i].user)),
    rating: makeVector(Float32Array.from(order, (i) => rows[i].rating)),
  });
}

describe("random-split properties", () => {
  it("puts every row in exactly one side, and the split depends only on (rows, seed), not their order", () => {
    fc.assert(
      fc.property(rowsArb, weightsArb, fc.integer(), fc.infiniteStream(fc.nat()), (rows, weights, seed, noise) => {
        const order = rows.map((_, i) => i);
        const { train, test } = randomSplitTable(tableOf(rows, order), weights, seed);
        const all = [...ids(train), ...ids(test)].sort((a, b) => a - b);
        expect(all).toEqual(order);
        // The same rows in another order: the same rows go to train (Spark sorts rows before drawing).
        const shuffled = [...order];
        const it = noise[Symbol.iterator]();
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = it.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const again = randomSplitTable(tableOf(rows, shuffled), weights, seed);
        const key = (t: Table) =>
          ids(t)
            .map((r) => `${rows[r].user}:${rows[r].rating}`)
            .sort();
        expect(key(again.train)).toEqual(key(train));
        expect(key(again.test)).toEqual(key(test));
      }),
      { numRuns: 100 },
    );
  });
});

describe("stratified-split properties", () => {
  it("gives every row exactly one side, deterministically, with round(n * fraction) test rows per user", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (groups, fraction, seed) => {
          const g = Int32Array.from(groups);
          const numGroups = 16;
          const side = stratifiedSplitSides(g, numGroups, fraction, seed);
          expect(side.every((s) => s === 0 || s === 1)).toBe(true);
          expect(stratifiedSplitSides(g, numGroups, fraction, seed)).toEqual(side);
          for (let u = 0; u < numGroups; u++) {
            const mine = groups.flatMap((x, i) => (x === u ? [side[i]] : []));
            expect(mine.filter((s) => s === 1).length).toBe(Math.round(mine.length * fraction));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
