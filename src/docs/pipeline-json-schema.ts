import { z } from "zod";
import type { StageRole } from "../core/define-stage.js";
import type { StageRegistry } from "../core/registry.js";
import { BUILTIN_BASELINES, fileSourceParams, itemsParams, outputParams, recommendParams, topLevel } from "../spec/spec.js";
import { syntheticRatingsParams } from "../io/synthetic-ratings.js";

/**
 * JSON Schema of the pipeline file for editors (`recpipe schema`), built from the registry so every stage's params,
 * defaults and docs appear exactly as the loader validates them.
 */
export function pipelineJsonSchema(registry: StageRegistry): Record<string, unknown> {
  // Prepare-only steps (drop-na, ...) are offered in prepare: and never inside pipeline:, which refuses them.
  const stagesOf = (roles: StageRole[], prepareOnly = true) => {
    const variants = registry
      .list(roles)
      .filter((d) => prepareOnly || !d.prepareOnly)
      .map((d) =>
        d.params
          .extend({ type: z.literal(d.type).describe(d.doc), name: z.string().optional().describe("name used by --set and tuning keys (default: type)") })
          .strict(),
      );
    return variants.length === 1 ? variants[0] : z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  };
  // The loader's own top-level schema (name pattern, seed, include, plugins, docs), with each section it validates in
  // a second step (sources, stages, recommend, output) spelled out for the editor.
  const s = topLevel.shape;
  const file = topLevel.extend({
    source: z.union([fileSourceParams, syntheticRatingsParams.extend({ type: z.literal("synthetic-ratings") })]).describe(s.source.description!),
    prepare: z
      .array(stagesOf(["transformer"]))
      .optional()
      .describe(s.prepare.description!),
    split: stagesOf(["split"]).optional().describe(s.split.description!),
    pipeline: z
      .array(stagesOf(["estimator", "transformer"], false))
      .min(1)
      .describe(s.pipeline.description!),
    evaluate: z
      .array(stagesOf(["evaluator"]))
      .optional()
      .describe(s.evaluate.description!),
    tune: stagesOf(["tuner"]).optional().describe(s.tune.description!),
    recommend: recommendParams.optional().describe(s.recommend.description!),
    items: itemsParams.optional().describe(s.items.description!),
    baselines: z
      .array(z.union([z.enum(BUILTIN_BASELINES), z.object({ name: z.string(), pipeline: z.array(stagesOf(["estimator", "transformer"])).min(1) }).strict()]))
      .optional()
      .describe(s.baselines.description!),
    output: outputParams.optional().describe(s.output.description!),
  });
  return z.toJSONSchema(file, { unrepresentable: "any", io: "input" }) as Record<string, unknown>;
}
