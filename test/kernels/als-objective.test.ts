import { describe, expect, it } from "vitest";
import {
  OBJECTIVE_CHUNK_ROWS,
  OBJECTIVE_PARTIALS,
  combineObjective,
  objectiveTaskCount,
  regularisationCounts,
  runObjectiveTask,
  type AlsObjectiveInput,
} from "../../src/kernels/als-objective.js";
import type { AlsSideViews } from "../../src/kernels/als-layout.js";

const k = 3;
const kp = 4;

function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 4294967296;
}

/** rows x cols CSR with about perRow ratings a row in {-1, 0, 1, 2, 3}, and random factors for both sides. */
function problem(users: number, items: number, implicit: boolean, userStride: number): AlsObjectiveInput {
  const rand = lcg(5);
  const indptr = new Int32Array(users + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let n = Math.floor(rand() * 4); n > 0; n--) {
      indices.push(Math.floor(rand() * items));
      values.push(Math.floor(rand() * 5) - 1);
    }
    indptr[u + 1] = indices.length;
  }
  const factors = (rows: number): Float32Array => Float32Array.from({ length: rows * kp }, (_, i) => (i % kp < k ? rand() - 0.5 : 0));
  const userViews: AlsSideViews = { indptr, indices: Int32Array.from(indices), values: Float32Array.from(values), factors: factors(users) };
  const itemFactors = factors(items);
  const gram = new Float64Array(kp * kp);
  for (let r = 0; r < items; r++)
    for (let i = 0; i < kp; i++) for (let j = 0; j < kp; j++) gram[i * kp + j] += itemFactors[r * kp + i] * itemFactors[r * kp + j];
  const itemCounts = Int32Array.from({ length: items }, () => Math.floor(rand() * 5));
  return {
    users: userViews,
    // the items' CSR may live in another memory: only their factors are read
    items: { indptr: new Int32Array(0), indices: new Int32Array(0), values: new Float32Array(0), factors: itemFactors },
    k,
    kp,
    alpha: 2,
    implicit,
    itemGram: implicit ? gram : null,
    counts: { user: regularisationCounts(userViews, implicit), item: itemCounts },
    userStride,
  };
}

/** The objective's formula, summed the plain way: user by user, then the norms. */
function serialObjective(a: AlsObjectiveInput, regParam: number): number {
  const X = a.users.factors;
  const Y = a.items.factors;
  let data = 0;
  for (let u = 0; u < a.counts.user.length; u += a.userStride) {
    if (a.itemGram) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) data += X[u * kp + i] * a.itemGram[i * kp + j] * X[u * kp + j];
    for (let s = a.users.indptr[u]; s < a.users.indptr[u + 1]; s++) {
      let pred = 0;
      for (let i = 0; i < k; i++) pred += X[u * kp + i] * Y[a.users.indices[s] * kp + i];
      const r = a.users.values[s];
      data += a.implicit ? (1 + a.alpha * Math.abs(r)) * ((r > 0 ? 1 : 0) - pred) ** 2 - pred * pred : (r - pred) ** 2;
    }
  }
  let norms = 0;
  for (const [f, c] of [
    [X, a.counts.user],
    [Y, a.counts.item],
  ] as const)
    for (let r = 0; r < c.length; r++) for (let i = 0; i < k; i++) norms += c[r] * f[r * kp + i] ** 2;
  return data * a.userStride + regParam * norms;
}

function runTasks(a: AlsObjectiveInput, order: number[], regParam: number): number {
  const tasks = objectiveTaskCount(a.counts.user.length, a.counts.item.length);
  const partials = new Float64Array(OBJECTIVE_PARTIALS * tasks);
  for (const t of order) runObjectiveTask(a, t, partials);
  return combineObjective(partials, tasks, a.userStride, regParam);
}

describe("the ALS objective in fixed tasks", () => {
  // several user and item tasks, the last of each short; a stride that does not divide the chunk size
  const users = 2 * OBJECTIVE_CHUNK_ROWS + 300;
  const items = OBJECTIVE_CHUNK_ROWS + 7;
  for (const [implicit, stride] of [
    [false, 1],
    [true, 1],
    [true, 7],
  ] as const) {
    it(`${implicit ? "implicit" : "explicit"}, every ${stride}. user: the formula's value, whatever order the tasks run in`, () => {
      const a = problem(users, items, implicit, stride);
      const tasks = objectiveTaskCount(users, items);
      expect(tasks).toBe(5);
      const inOrder = runTasks(a, [...Array(tasks).keys()], 0.3);
      expect(runTasks(a, [...Array(tasks).keys()].reverse(), 0.3)).toBe(inOrder);
      const serial = serialObjective(a, 0.3);
      expect(Math.abs(inOrder - serial)).toBeLessThan(1e-9 * Math.abs(serial));
    });
  }
});
