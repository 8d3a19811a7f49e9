import { InputError } from "../../core/errors.js";
import type { StageRegistry } from "../../core/registry.js";
import type { FittedStage } from "../../core/stage.js";
import type { ModelRef } from "./transport/ml.js";
import { PipelineModel } from "../../model/pipeline-model.js";
import type { RemotePipelineModel } from "./remote-pipeline.js";
import type { FittedRemoteStage } from "./stages/index.js";

/**
 * Brings a fitted pipeline back from the cluster as a local PipelineModel: each fitted stage's remote file says how its
 * state comes back (ALS: its factors; StringIndexer: its labels), then it is loaded through the stage's own loader, so the model recpipe
 * writes is the one Spark's loaders and `recpipe recommend` read. Transformers come back as their local stage.
 */
export async function fetchPipelineModel(remote: RemotePipelineModel, registry: StageRegistry, uid: string): Promise<PipelineModel> {
  const fitted: FittedStage[] = [];
  for (const s of remote.stages) fitted.push(s.model ? await fetchStage(remote, registry, s, s.model) : localTransformer(s));
  return new PipelineModel(uid, fitted);
}

/**
 * A transformer as it ran on the cluster: IndexToString's `labelsFrom` was resolved there into `labels` (the fitted
 * indexer's), which the local stage must carry too, or it cannot transform nor be saved with its labels.
 */
function localTransformer(s: FittedRemoteStage): FittedStage {
  const labels = s.op.params.find((p) => p.name === "labels")?.value;
  const stage = s.stage as FittedStage & { withLabels?: (labels: readonly string[]) => FittedStage };
  return Array.isArray(labels) && stage.withLabels ? stage.withLabels(labels as string[]) : stage;
}

async function fetchStage(remote: RemotePipelineModel, registry: StageRegistry, s: FittedRemoteStage, model: ModelRef): Promise<FittedStage> {
  if (!s.remote.fetch) throw new InputError("E_UNSUPPORTED", `${s.stage.name}: recpipe cannot fetch a ${model.className} back from Spark`);
  const saved = await s.remote.fetch(remote.ml, model, s.stage.save(), s.stage.name);
  const loader = registry.loaderFor(saved.className);
  if (!loader) throw new InputError("E_UNSUPPORTED", `${s.stage.name}: no loader for ${saved.className}`);
  return loader(saved, () => {
    throw new Error("nested stages are not fetched");
  }) as FittedStage;
}
