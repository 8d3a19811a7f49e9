import { describe, expect, it } from "vitest";
import { builtinStages } from "../../stages/index.js";
import { remoteStageOf, remoteStages } from "../../src/engines/spark-connect/stages/index.js";
import { remoteRefusals } from "../../src/engines/spark-connect/remote-support.js";
import { StageRegistry } from "../../src/core/registry.js";
import { validateSpec } from "../../src/spec/spec.js";

// The Spark Connect engine finds a stage's remote form by its definition (one file per stage under
// src/engines/spark-connect/stages/), never by its type name.
describe("remote stages", () => {
  it("are each the remote form of one registered stage", () => {
    const defs = new Set(builtinStages);
    for (const r of remoteStages) expect(defs.has(r.definition), r.definition.type).toBe(true);
    expect(new Set(remoteStages.map((r) => r.definition)).size).toBe(remoteStages.length);
    for (const r of remoteStages) expect(remoteStageOf(r.definition)).toBe(r);
  });

  it("declare a JVM class for every stage Spark runs as an ML operator, and a way back for every estimator", () => {
    for (const r of remoteStages) {
      if (r.runs === "ml") expect(r.className, r.definition.type).toMatch(/^org\.apache\.spark\.ml\./);
      if (r.runs === "ml" && r.definition.role === "estimator") expect(r.fetch, r.definition.type).toBeTypeOf("function");
    }
  });

  it("leave a stage without a remote file refused before connecting, naming it", () => {
    const registry = new StageRegistry(builtinStages);
    const withRemote = validateSpec(
      {
        name: "x",
        source: { type: "synthetic-ratings" },
        split: { type: "random-split" },
        pipeline: [{ type: "als" }],
        evaluate: [{ type: "regression-evaluator" }],
      },
      registry,
    );
    expect(remoteRefusals(withRemote, registry)).toEqual([]);
    const bias = validateSpec(
      {
        name: "x",
        source: { type: "synthetic-ratings" },
        split: { type: "random-split" },
        pipeline: [{ type: "bias-baseline" }],
        evaluate: [{ type: "regression-evaluator" }],
      },
      registry,
    );
    expect(remoteRefusals(bias, registry)).toEqual([
      expect.stringMatching(/^pipeline\[0\] \(bias-baseline\)\.type: bias-baseline has no Spark Connect equivalent/),
    ]);
    expect(remoteStageOf(registry.get("bias-baseline"))).toBeUndefined();
  });
});
