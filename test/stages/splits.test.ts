import { makeVector, Table, Utf8, vectorFromArray, Dictionary, Int32 } from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildStage } from "../../src/core/define-stage.js";
import { quietContext } from "../../src/core/run-context.js";
import { sparkRowOrder, compareCodePoints } from "../../src/core/row-order.js";
import { leaveLastOut, leaveLastOutSides } from "../../stages/leave-last-out.js";
import { drawUniforms, randomSplit, randomSplitAssignment, randomSplitTable } from "../../stages/random-split.js";
import { stratifiedSplit, stratifiedSplitSides } from "../../stages/stratified-split.js";
import { temporalSplit, temporalSplitSides, temporalSplitSidesPerGroup } from "../../stages/temporal-split.js";

const ctx = quietContext();
const ids = (t: Table, c = "id") => [...(t.getChild(c) as Iterable<number>)];

function ratings(n: number, seed = 1): Table {
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const ts = new Float64Array(n);
  const id = new Int32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    user[i] = s % 17;
    item[i] = (s >>> 8) % 31;
    ts[i] = (s >>> 4) % 1000;
    id[i] = i;
  }
  return new Table({ id: makeVector(id), user: makeVector(user), item: makeVector(item), timestamp: makeVector(ts) });
}

describe("random-split", () => {
  it.each(["hash", "spark"] as const)("%s: puts every row in exactly one split, deterministically for (rows, seed)", (method) => {
    const t = ratings(2000);
    const a = randomSplitTable(t, [0.8, 0.2], 5, method);
    const b = randomSplitTable(t, [0.8, 0.2], 5, method);
    expect(ids(a.train)).toEqual(ids(b.train));
    const all = [...ids(a.train), ...ids(a.test)].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(a.test.numRows / 2000).toBeGreaterThan(0.15);
    expect(a.test.numRows / 2000).toBeLessThan(0.25);
    expect(ids(randomSplitTable(t, [0.8, 0.2], 6, method).test)).not.toEqual(ids(a.test));
  });

  it.each(["hash", "spark"] as const)("%s: does not depend on the input row order", (method) => {
    const t = ratings(500);
    const rev = new Int32Array(500).map((_, i) => 499 - i);
    const { takeRows } = require_takeRows();
    const shuffled = takeRows(t, rev);
    const a = ids(randomSplitTable(t, [0.5, 0.5], 9, method).test).sort((x, y) => x - y);
    const b = ids(randomSplitTable(shuffled, [0.5, 0.5], 9, method).test).sort((x, y) => x - y);
    expect(b).toEqual(a);
  });

  it("assigns by cumulative normalised weights and keeps original row order in each split", () => {
    const order = new Int32Array([2, 0, 1]);
    const u = new Float64Array([0.1, 0.74, 0.76]);
    expect([...randomSplitAssignment(order, u, [3, 1])]).toEqual([0, 1, 0]);
    expect([...randomSplitAssignment(order, u, [0, 1])]).toEqual([1, 1, 1]);
  });

  it("sorts with Spark's ordering: nulls first, NaN last, strings by code point", () => {
    const t = new Table({
      s: vectorFromArray(["b", null, "a", "a", "\u{1F600}", "\uFFFD"], new Utf8()),
      x: makeVector(new Float64Array([0, 0, NaN, 1, 0, 0])),
    });
    expect([...sparkRowOrder(t)]).toEqual([1, 3, 2, 0, 5, 4]);
    expect(compareCodePoints("\u{1F600}", "\uFFFD")).toBeGreaterThan(0);
    expect("\u{1F600}" < "\uFFFD").toBe(true); // UTF-16 order differs
  });

  it("draws uniforms in [0,1) reproducibly", () => {
    const u = drawUniforms(1000, 3);
    expect(u).toEqual(drawUniforms(1000, 3));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
  });

  it("rejects weights that are not exactly [train, test]", () => {
    expect(() => buildStage(randomSplit, { weights: [0.6, 0.2, 0.2] })).toThrow(/weights must be a list with length <= 2/);
    expect(() => buildStage(randomSplit, { weights: [0, 0] })).toThrow(/weights.*positive sum/);
    expect(() => buildStage(randomSplit, { weights: [-1, 2] })).toThrow(/weights\[0\]/);
  });

  it("uses ctx.seed when no seed is set", () => {
    const t = ratings(300);
    const s = buildStage(randomSplit, {});
    expect(ids(s.split(t, quietContext({ seed: 11 })).test)).toEqual(ids(randomSplitTable(t, [0.8, 0.2], 11).test));
  });
});

describe("stratified-split", () => {
  it("splits each user's rows by the ratio (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 200 }), fc.integer(), (gs, seed) => {
        const groups = Int32Array.from(gs);
        const side = stratifiedSplitSides(groups, 6, 0.25, seed);
        for (let g = 0; g < 6; g++) {
          const n = gs.filter((x) => x === g).length;
          const t = gs.filter((x, i) => x === g && side[i] === 1).length;
          expect(t).toBe(Math.round(n * 0.25));
        }
        expect(stratifiedSplitSides(groups, 6, 0.25, seed)).toEqual(side);
      }),
    );
  });

  it("gives the same split for plain and dictionary-encoded user columns", () => {
    const users = ["a", "b", "a", "c", "b", "a", "a", "b", "c", "c"];
    const item = makeVector(Int32Array.from(users.map((_, i) => i)));
    const s = buildStage(stratifiedSplit, { weights: [0.5, 0.5], seed: 1 });
    const p = s.split(new Table({ user: vectorFromArray(users, new Utf8()), item }), ctx);
    const d = s.split(new Table({ user: vectorFromArray(users, new Dictionary(new Utf8(), new Int32())), item }), ctx);
    expect(ids(d.test, "item")).toEqual(ids(p.test, "item"));
    expect(p.train.numRows + p.test.numRows).toBe(10);
  });
});

describe("temporal-split", () => {
  it("global: every train row is earlier than every test row", () => {
    const times = new Float64Array([5, 1, 9, 3, 7, 3, 8, 2, 6, 4]);
    const side = temporalSplitSides(times, 0.2);
    expect([...side]).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    const tied = temporalSplitSides(new Float64Array([1, 2, 2, 2]), 0.25);
    expect([...tied]).toEqual([0, 1, 1, 1]); // ties at the cut all go to test
  });

  it("per user: the latest share of each user's rows, ties by row order", () => {
    const times = new Float64Array([40, 10, 30, 20, 5, 5, 5]);
    const groups = new Int32Array([0, 0, 0, 0, 1, 1, 1]);
    expect([...temporalSplitSidesPerGroup(times, groups, 2, 0.5)]).toEqual([1, 0, 1, 0, 0, 1, 1]); // user 1: round(1.5) = 2 latest rows, ties by row order
  });

  it("rejects null times with the column named", () => {
    const s = buildStage(temporalSplit, {});
    const t = new Table({ user: makeVector(new Int32Array([1, 2])), timestamp: vectorFromArray([1, null], new Int32()) });
    expect(() => s.split(t, ctx)).toThrow(/column "timestamp" row 1 is null or NaN/);
  });
});

describe("leave-last-out", () => {
  it("holds out each user's latest row; single-row users stay in train", () => {
    const times = new Float64Array([10, 30, 20, 5, 7, 7]);
    const groups = new Int32Array([0, 0, 0, 1, 2, 2]);
    expect([...leaveLastOutSides(times, groups, 3)]).toEqual([0, 1, 0, 0, 0, 1]);
  });

  it("as a stage: coverage and one test row per multi-row user", () => {
    const t = ratings(1000);
    const { train, test } = buildStage(leaveLastOut, {}).split(t, ctx);
    expect(train.numRows + test.numRows).toBe(1000);
    expect(new Set(ids(test, "user")).size).toBe(test.numRows);
  });
});

import { takeRows } from "../../src/core/table.js";
function require_takeRows() {
  return { takeRows };
}

import { rankFloat64 } from "../../src/kernels/stable-order.js";
describe("rankFloat64", () => {
  it("gives the same dense ranks through the few-distinct and the sorting paths", () => {
    const few = Float64Array.from([3, -0, NaN, 0, 1.5, 3, NaN]);
    const valid = Uint8Array.from([1, 1, 1, 1, 1, 1, 0]);
    expect([...rankFloat64(few, valid).ranks]).toEqual([3, 1, 4, 1, 2, 3, 0]);
    const many = new Float64Array(2_200_000).map((_, i) => (i * 7919) % 2_199_997);
    const r = rankFloat64(many).ranks;
    for (const i of [0, 1, 500, 2_199_999]) expect(r[i]).toBe(many[i] + 1);
  });
});
