import type { Schema } from "apache-arrow";
import { buildEvaluators, buildFromSpec, buildPipelineStages, buildSplitter } from "../spec/build-stages.js";
import { prepareSchema } from "../prepare/apply-prepare.js";
import type { Transformer } from "../core/stage.js";
import { loadPipelineFile, type LoadedPipeline } from "../spec/load-pipeline-file.js";
import { checkRunFitsMemory, type MemoryEstimate } from "../engines/local/memory-estimate.js";
import { foldSchema } from "../model/pipeline-model.js";
import { readSourceSchema } from "../engines/local/read-source.js";
import { checkItemsColumns } from "../engines/local/read-items.js";
import { isClusterPath } from "../engines/spark-connect/cluster-path.js";
import { recpipeVersion } from "./manifest.js";

export interface Validation {
  loaded: LoadedPipeline;
  inputSchema?: Schema;
  /** The schema is unknown when the cluster reads the data itself (validate --remote with an s3a://... path). */
  outputSchema?: Schema;
  /** With --remote: the server's Spark version and the URL (without token). */
  remote?: { sparkVersion: string; url: string };
  /** Estimated peak memory of `run` (undefined when the row count cannot be known without reading, or with --remote). */
  memory?: MemoryEstimate;
}

/**
 * `recpipe validate`: parses and checks the file, builds every stage, reads the source's schema from its first rows
 * and folds transformSchema over the pipeline, so a missing or misspelled column is caught. Fits nothing, reads no
 * file whole, hashes nothing, and runs no plugin unless allowed.
 */
export async function validatePipeline(
  file: string,
  opts: { set?: string[]; allowPlugins?: boolean; remote?: string; remoteTimeout?: number } = {},
): Promise<Validation> {
  const loaded = await loadPipelineFile(file, { set: opts.set ?? [], allowPlugins: opts.allowPlugins });
  const { remote } = opts;
  const { spec, registry } = loaded;
  const prepareSteps = spec.prepare.map((s) => buildFromSpec<Transformer>(registry, s, spec.seed, "transformer"));
  const stages = buildPipelineStages(registry, spec.pipeline, spec.seed);
  buildEvaluators(registry, spec.evaluate, spec.seed);
  buildSplitter(registry, spec.split, spec.seed);
  const clusterReads = remote !== undefined && spec.source.kind === "file" && isClusterPath(spec.source.path);
  // The estimate is of the local engine's peak; with --remote the cluster holds the data, so it does not apply.
  const memory = remote === undefined ? await checkRunFitsMemory(spec, loaded.baseDir) : undefined;
  const inputSchema = clusterReads ? undefined : await readSourceSchema(spec.source, loaded.baseDir, spec.seed);
  if (spec.items) await checkItemsColumns(spec.items, loaded.baseDir);
  // prepare's steps first, each error naming prepare[i]; then the pipeline on what they give.
  const outputSchema = inputSchema ? foldSchema(stages, prepareSchema(prepareSteps, inputSchema)) : undefined;
  return {
    loaded,
    inputSchema,
    outputSchema,
    memory,
    // Imported only with --remote: the Spark Connect client (gRPC, protobuf) is a third of a second of start-up.
    ...(remote !== undefined
      ? {
          remote: await (
            await import("../engines/spark-connect/validate-remote.js")
          ).validateRemote(loaded, remote, `recpipe/${recpipeVersion()}`, opts.remoteTimeout),
        }
      : {}),
  };
}
