import { isAbsolute, resolve } from "node:path";
import { BUILTIN_BASELINES, type PipelineSpec, type StageSpec } from "./spec.js";

/**
 * The pipeline as it will run, with every default, override and fragment inlined and paths made absolute, so the
 * copy in the run directory re-runs the same way from anywhere (`recpipe reproduce`).
 */
export function resolvedPipeline(spec: PipelineSpec, baseDir: string): Record<string, unknown> {
  const stage = (s: StageSpec) => ({ type: s.type, ...(s.name !== s.type ? { name: s.name } : {}), ...s.params });
  const { kind: _k, ...source } = spec.source;
  if ("path" in source && typeof source.path === "string" && !isAbsolute(source.path)) source.path = resolve(baseDir, source.path);
  const out: Record<string, unknown> = {
    name: spec.name,
    seed: spec.seed,
    ...(spec.plugins.length ? { plugins: spec.plugins.map((p) => resolve(baseDir, p)) } : {}),
    source,
    ...(spec.items ? { items: { ...spec.items, path: resolve(baseDir, spec.items.path) } } : {}),
    // Only when present, so the resolved copy of a file without prepare is unchanged.
    ...(spec.prepare.length ? { prepare: spec.prepare.map(stage) } : {}),
    split: stage(spec.split),
    pipeline: spec.pipeline.map(stage),
    evaluate: spec.evaluate.map(stage),
  };
  // Written only when it is not the default (the three built-ins), so files without the key resolve as before.
  const baselines = spec.baselines.map((b) => (b.kind === "builtin" ? b.type : { name: b.name, pipeline: b.pipeline.map(stage) }));
  if (JSON.stringify(baselines) !== JSON.stringify(BUILTIN_BASELINES)) out.baselines = baselines;
  if (spec.tune) {
    // baseOn is inlined as one-value paramGrid entries (what PySpark's baseOn does), so the copy re-runs the same maps.
    const { evaluator: _e, paramGrid: _g, baseOn: _b, ...rest } = spec.tune.params;
    out.tune = {
      type: spec.tune.type,
      ...rest,
      evaluator: stage(spec.tune.evaluator),
      paramGrid: Object.fromEntries(spec.tune.grid.map((g) => [`${g.stage}.${g.param}`, g.values])),
    };
  }
  if (spec.recommend) out.recommend = spec.recommend;
  out.output = { dir: isAbsolute(spec.output.dir) ? spec.output.dir : resolve(baseDir, spec.output.dir) };
  if (spec.tracking) out.tracking = spec.tracking;
  return out;
}
