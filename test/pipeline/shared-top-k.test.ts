/**
 * A run that both scores ranking metrics and recommends computes the model's top-k once: the metrics and the
 * recommendations are exactly what two separate computations give, and the recommender is asked once, not twice.
 */
import { describe, expect, it, vi } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import type { Recommender } from "../../src/core/stage.js";
import { buildEvaluators, buildPipelineStages, buildSplitter } from "../../src/spec/build-stages.js";
import { evaluateModel } from "../../src/engines/local/evaluate-model.js";
import { fitPipeline } from "../../src/model/pipeline-model.js";
import { recommendForRun } from "../../src/engines/local/recommend-for-run.js";
import { selectLists, sharedTopK } from "../../src/engines/local/shared-top-k.js";
import { validateSpec } from "../../src/spec/spec.js";
import { syntheticRatings } from "../../src/io/synthetic-ratings.js";
import { createRegistry } from "../../stages/index.js";

const builtinRegistry = createRegistry();

const ctx = quietContext({ workers: 2, seed: 5 });

async function fitted(recommend: Record<string, unknown>) {
  const spec = validateSpec(
    {
      name: "shared",
      source: { type: "synthetic-ratings", users: 300, items: 150, density: 0.1, preference: 0.7 },
      pipeline: [
        { type: "string-indexer", inputCols: ["user", "item"], outputCols: ["u", "i"], handleInvalid: "keep" },
        { type: "als", userCol: "u", itemCol: "i", rank: 4, maxIter: 3, coldStartStrategy: "drop" },
      ],
      evaluate: [
        { type: "ranking-evaluator", metricName: "ndcgAtK", k: 10 },
        { type: "ranking-evaluator", metricName: "precisionAtK", k: 3 },
        { type: "regression-evaluator", metricName: "rmse" },
      ],
      recommend,
    },
    builtinRegistry,
  );
  const { table } = syntheticRatings({ users: 300, items: 150, rank: 4, density: 0.1, noise: 0.3, mean: 3.5, skew: 1, preference: 0.7 }, 5);
  const { train, test } = buildSplitter(builtinRegistry, spec.split, 5).split(table, ctx);
  const model = await fitPipeline(buildPipelineStages(builtinRegistry, spec.pipeline, 5), train, ctx, "pipeline_x");
  return { spec, model, train, test, evaluators: buildEvaluators(builtinRegistry, spec.evaluate, 5) };
}

describe("top-k once for evaluation and recommendations", () => {
  for (const recommend of [
    { k: 5, users: "all", excludeSeen: true },
    { k: 20, users: "all", excludeSeen: true },
    { k: 4, users: ["u3", "u0", "nobody", "u17"], excludeSeen: true },
  ]) {
    it(`recommend ${JSON.stringify(recommend)}: same metrics and recommendations as computing twice, one top-k call`, async () => {
      const { spec, model, train, test, evaluators } = await fitted(recommend);
      const rec = model.recommender()! as Recommender;
      const calls = vi.spyOn(rec, "recommendForUsers");

      const separateMetrics = await evaluateModel(model, evaluators, train, test, ctx);
      const separateRecs = await recommendForRun(model, spec.recommend!, train, ctx);
      const separateCalls = calls.mock.calls.length;
      calls.mockClear();

      const shared = await sharedTopK(model, evaluators, spec.recommend, train, test, ctx);
      expect(shared).toBeDefined();
      const sharedMetrics = await evaluateModel(model, evaluators, train, test, ctx, shared);
      const sharedRecs = await recommendForRun(model, spec.recommend!, train, ctx, shared);

      expect(separateCalls).toBe(3); // two ranking evaluators + the recommendations
      expect(calls.mock.calls.length).toBe(1);
      expect(calls.mock.calls[0][1]).toBe(Math.max(10, recommend.k));
      expect(sharedMetrics).toEqual(separateMetrics);
      expect(sharedRecs.users).toBe(separateRecs.users);
      const [sharedTable, separateTable] = [sharedRecs.table!, separateRecs.table!];
      expect(sharedTable.numRows).toBe(separateTable.numRows);
      expect(sharedTable.numRows).toBeGreaterThan(0);
      for (const f of separateTable.schema.fields) {
        const a = separateTable.getChild(f.name)!.toArray();
        const b = sharedTable.getChild(f.name)!.toArray();
        expect(Array.from(b as ArrayLike<unknown>), f.name).toEqual(Array.from(a as ArrayLike<unknown>));
      }
    });
  }

  it("is not shared when the recommendations keep seen items (they are different lists)", async () => {
    const { spec, model, train, test, evaluators } = await fitted({ k: 5, users: "all", excludeSeen: false });
    expect(await sharedTopK(model, evaluators, spec.recommend, train, test, ctx)).toBeUndefined();
  });

  it("selectLists cuts longer lists to k and picks users in the requested order", () => {
    const from = {
      users: Int32Array.from([1, 2, 3]),
      k: 3,
      counts: Int32Array.from([3, 1, 0]),
      items: Int32Array.from([7, 8, 9, 4, -1, -1, -1, -1, -1]),
      scores: Float32Array.from([3, 2, 1, 5, NaN, NaN, NaN, NaN, NaN]),
    };
    const out = selectLists(from, Int32Array.from([2, 1, 99]), 2);
    expect(Array.from(out.items)).toEqual([4, -1, 7, 8, -1, -1]);
    expect(Array.from(out.counts)).toEqual([1, 2, 0]);
    expect(Array.from(out.scores.subarray(0, 1))).toEqual([5]);
  });
});
