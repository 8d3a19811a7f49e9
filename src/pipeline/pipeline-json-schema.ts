import { z } from "zod";
import type { StageRole } from "../core/define-stage.js";
import type { StageRegistry } from "../core/registry.js";
import { fileSourceParams, outputParams, recommendParams } from "./spec.js";
import { syntheticRatingsParams } from "./synthetic-ratings.js";

/**
 * JSON Schema of the pipeline file for editors (`recpipe schema`), built from the registry so every stage's params,
 * defaults and docs appear exactly as the loader validates them.
 */
export function pipelineJsonSchema(registry: StageRegistry): Record<string, unknown> {
  const stagesOf = (roles: StageRole[]) => {
    const variants = registry.list(roles).map((d) =>
      d.params.extend({ type: z.literal(d.type).describe(d.doc), name: z.string().optional().describe("name used by --set and tuning keys (default: type)") }).strict(),
    );
    return variants.length === 1 ? variants[0] : z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  };
  const file = z.object({
    name: z.string().describe("names the run directory"),
    seed: z.number().int().default(42).describe("seeds every random step that sets none of its own"),
    include: z.array(z.string()).optional().describe("fragments merged in before this file's own keys"),
    plugins: z.array(z.string()).optional().describe("modules that define extra stages"),
    source: z.union([fileSourceParams, syntheticRatingsParams.extend({ type: z.literal("synthetic-ratings") })]),
    split: stagesOf(["split"]).optional(),
    pipeline: z.array(stagesOf(["estimator", "transformer"])).min(1),
    evaluate: z.array(stagesOf(["evaluator"])).optional(),
    tune: stagesOf(["tuner"]).optional(),
    recommend: recommendParams.optional(),
    output: outputParams.optional(),
  });
  return z.toJSONSchema(file, { unrepresentable: "any", io: "input" }) as Record<string, unknown>;
}
