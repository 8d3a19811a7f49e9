/**
 * The evaluate and baselines phases do only the work their results need, and the same results come out: ranking
 * metrics alone predict no test rows; the test users outside the model's (sparse or dense) ids join the shared lists;
 * baselines started while the shared top-k runs on workers equal baselines computed after it; bias-baseline checks
 * ratings alone when no id is null, and still names the first bad row.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Int32, Table, makeVector, tableFromArrays, vectorFromArray } from "apache-arrow";
import { buildStage } from "../../src/core/define-stage.js";
import { biasBaseline } from "../../stages/bias-baseline.js";
import { afterAll, describe, expect, it, vi } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import type { FittedStage } from "../../src/core/stage.js";
import { buildEvaluators, buildPipelineStages } from "../../src/spec/build-stages.js";
import { evaluateModel } from "../../src/engines/local/evaluate-model.js";
import { fitPipeline } from "../../src/model/pipeline-model.js";
import { sharedTopK } from "../../src/engines/local/shared-top-k.js";
import { run } from "../../src/run/run.js";
import { validateSpec } from "../../src/spec/spec.js";
import { createRegistry } from "../../stages/index.js";

const registry = createRegistry();
const ctx = quietContext({ workers: 2, seed: 3 });
const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-evaluate-work-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Integer ratings where user u has ids u * stride (stride 1: dense ids; a large stride: sparse ones). */
function ratings(stride: number, users: number, items: number, from: number) {
  const u: number[] = [];
  const i: number[] = [];
  const r: number[] = [];
  for (let a = from; a < from + users; a++)
    for (let b = 0; b < items; b++) {
      if ((a * 7 + b * 3) % 4 === 0) continue;
      u.push(a * stride);
      i.push(b);
      r.push(1 + ((a + b) % 5));
    }
  return tableFromArrays({ user: Int32Array.from(u), item: Int32Array.from(i), rating: Float32Array.from(r) });
}

/** The ALS stage on the raw integer ids, with these evaluators. */
function specOf(evaluate: Record<string, unknown>[]) {
  const pipeline = [{ type: "als", userCol: "user", itemCol: "item", rank: 3, maxIter: 2, coldStartStrategy: "drop" }];
  return validateSpec({ name: "w", source: { path: "unused.csv" }, pipeline, evaluate }, registry);
}

const evaluatorsOf = (evaluate: Record<string, unknown>[]) => buildEvaluators(registry, specOf(evaluate).evaluate, 3);

async function fittedAls(stride: number) {
  const train = ratings(stride, 40, 30, 0);
  // Test rows: known users 30..39 and users 40..44 the model never saw.
  const test = ratings(stride, 15, 30, 30);
  const stages = buildPipelineStages(registry, specOf([]).pipeline, 3);
  const model = await fitPipeline(stages, train, ctx, "pipeline_w");
  return { model, train, test };
}

describe("evaluate does only the work its metrics need", () => {
  it("ranking metrics alone never predict the test rows, and give what they give beside a regression metric", async () => {
    const { model, train, test } = await fittedAls(1);
    const rec = model.recommender()! as unknown as FittedStage;
    const transform = vi.spyOn(rec, "transform");
    const ranking = evaluatorsOf([{ type: "ranking-evaluator", metricName: "ndcgAtK", k: 5 }]);
    const alone = await evaluateModel(model, ranking, train, test, ctx);
    expect(transform).not.toHaveBeenCalled();
    const both = evaluatorsOf([
      { type: "ranking-evaluator", metricName: "ndcgAtK", k: 5 },
      { type: "regression-evaluator", metricName: "rmse", labelCol: "rating" },
    ]);
    const withRmse = await evaluateModel(model, both, train, test, ctx);
    expect(transform).toHaveBeenCalledTimes(1);
    expect(withRmse["ndcgAtK@5"]).toBe(alone["ndcgAtK@5"]);
    expect(Number.isFinite(alone["ndcgAtK@5"])).toBe(true);
  });

  for (const stride of [1, 100_003]) {
    it(`shared lists cover every known user and the unknown test users (${stride === 1 ? "dense" : "sparse"} ids)`, async () => {
      const { model, train, test } = await fittedAls(stride);
      const evaluators = evaluatorsOf([{ type: "ranking-evaluator", metricName: "precisionAtK", k: 5 }]);
      const shared = await sharedTopK(model, evaluators, { k: 5, users: "all", excludeSeen: true } as never, train, test, ctx);
      const expected = Array.from({ length: 45 }, (_, u) => u * stride);
      expect(Array.from(shared!.lists.users)).toEqual(expected);
      // The model's own users have lists; the five it never saw have none.
      expect(Array.from(shared!.lists.counts.subarray(40)).every((c) => c === 0)).toBe(true);
      expect(Array.from(shared!.lists.counts.subarray(0, 40)).every((c) => c > 0)).toBe(true);
    });
  }
});

describe("baselines beside the shared top-k", () => {
  it("are the baselines a run without recommendations computes after evaluating", async () => {
    const body = `source: {type: synthetic-ratings, users: 200, items: 120, rank: 3, density: 0.2}
pipeline:
  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i], handleInvalid: keep}
  - {type: als, userCol: u, itemCol: i, rank: 3, maxIter: 3, coldStartStrategy: drop}
evaluate:
  - {type: ranking-evaluator, metricName: precisionAtK, k: 5}
  - {type: ranking-evaluator, metricName: ndcgAtK, k: 10}
`;
    const runOf = async (name: string, extra: string) => {
      const file = path.join(dir, `${name}.yaml`);
      writeFileSync(file, `name: ${name}\n${body}${extra}`);
      return run(file, { outDir: path.join(dir, "runs"), workers: 2 });
    };
    const overlapped = await runOf("overlapped", "recommend: {k: 5, users: all, excludeSeen: true}\n");
    const after = await runOf("after", "");
    expect(Object.keys(overlapped.baselines).sort()).toEqual(["bias-baseline", "most-popular"]);
    expect(overlapped.baselines).toEqual(after.baselines);
    expect(overlapped.metrics).toEqual(after.metrics);
  });
});

describe("bias-baseline refuses a bad training row by its first bad row", () => {
  const fit = (user: (number | null)[], rating: number[]) =>
    buildStage(biasBaseline, {}).fit(
      new Table({
        user: vectorFromArray(user, new Int32()),
        item: makeVector(Int32Array.from(rating.map((_, k) => k % 2))),
        rating: makeVector(Float32Array.from(rating)),
      }),
      ctx,
    );

  it("a NaN rating when no id is null", async () => {
    await expect(fit([0, 1, 2, 3], [4, 3, NaN, NaN])).rejects.toThrow(/training row 2 has a null or NaN in "rating"/);
  });

  it("a null user before a NaN rating", async () => {
    await expect(fit([0, null, 2, 3], [4, 3, NaN, 1])).rejects.toThrow(/training row 1 has a null or NaN in "user"/);
  });

  it("fits when every row is good", async () => {
    await expect(fit([0, 1, 2, 3], [4, 3, 2, 1])).resolves.toBeDefined();
  });
});
