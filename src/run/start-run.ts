import { spawnSeed } from "../core/rng.js";
import { quietContext, type RunContext } from "../core/run-context.js";
import { sayOnce } from "../core/say-once.js";
import type { Engine } from "../engines/engine.js";
import { buildEvaluators, buildPipelineStages, buildSplitter } from "../spec/build-stages.js";
import { loadPipelineFile } from "../spec/load-pipeline-file.js";
import { recpipeVersion } from "./manifest.js";
import { pickEngine } from "./pick-engine.js";
import { resolveAlsKernel } from "./als-kernel-setting.js";
import type { RunOptions } from "./run-options.js";
import { Timings } from "./timings.js";

/**
 * What a run has in hand before its first phase: the loaded file (refused early when bad), the contexts every phase
 * derives its seed from, the stages built from the file, and the started engine (local or Spark Connect).
 */
export async function startRun(file: string, opts: RunOptions) {
  const kind = await pickEngine(opts);
  const timings = new Timings();
  const loaded = await loadPipelineFile(file, { set: opts.set, registry: opts.registry, allowPlugins: kind.runsPlugins && opts.allowPlugins });
  const { spec, registry } = loaded;
  // Before any work (no data read, no cluster contacted): the CLI reaches the MLflow tracking server here.
  await opts.beforeWork?.(loaded);
  // Programmatic callers may omit progress: an explicit undefined must not replace the silent default.
  const base = quietContext({
    workers: Math.max(1, opts.workers ?? kind.defaultWorkers()),
    alsKernel: resolveAlsKernel(opts.kernel),
    ...(opts.progress ? { progress: opts.progress } : {}),
    log: sayOnce(opts.log ?? (() => undefined)),
    warn: sayOnce(opts.warn ?? (() => undefined)),
  });
  const ctxFor = (name: string): RunContext => ({ ...base, seed: spawnSeed(spec.seed, name) });
  const stages = buildPipelineStages(registry, spec.pipeline, spec.seed);
  const evaluators = buildEvaluators(registry, spec.evaluate, spec.seed);
  const splitter = buildSplitter(registry, spec.split, spec.seed);
  const time = <T>(phase: string, fn: () => T | Promise<T>) => timings.time(phase, fn);
  const engine: Engine = await kind.start({ loaded, base, ctxFor, time, client: `recpipe/${recpipeVersion()}` });
  return { loaded, timings, time, base, ctxFor, stages, evaluators, splitter, engine };
}
