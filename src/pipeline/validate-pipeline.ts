import type { Schema } from "apache-arrow";
import { buildEvaluators, buildPipelineStages, buildSplitter } from "./build-stages.js";
import { loadPipelineFile, type LoadedPipeline } from "./load-pipeline-file.js";
import { checkRunFitsMemory, type MemoryEstimate } from "./memory-estimate.js";
import { foldSchema } from "./pipeline-model.js";
import { readSourceSchema } from "./read-source.js";

export interface Validation {
  loaded: LoadedPipeline;
  inputSchema: Schema;
  outputSchema: Schema;
  /** Estimated peak memory of `run` (undefined when the row count cannot be known without reading). */
  memory?: MemoryEstimate;
}

/**
 * `recpipe validate`: parses and checks the file, builds every stage, reads the source's schema from its first rows
 * and folds transformSchema over the pipeline, so a missing or misspelled column is caught. Fits nothing, reads no
 * file whole, hashes nothing, and runs no plugin unless allowed.
 */
export async function validatePipeline(file: string, opts: { set?: string[]; allowPlugins?: boolean } = {}): Promise<Validation> {
  const loaded = await loadPipelineFile(file, { set: opts.set ?? [], allowPlugins: opts.allowPlugins });
  const { spec, registry } = loaded;
  const stages = buildPipelineStages(registry, spec.pipeline, spec.seed);
  buildEvaluators(registry, spec.evaluate, spec.seed);
  buildSplitter(registry, spec.split, spec.seed);
  const memory = await checkRunFitsMemory(spec, loaded.baseDir);
  const inputSchema = await readSourceSchema(spec.source, loaded.baseDir, spec.seed);
  const outputSchema = foldSchema(stages, inputSchema);
  return { loaded, inputSchema, outputSchema, memory };
}
