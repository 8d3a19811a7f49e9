import { Field, Float32, List, makeVector, Table, vectorFromArray } from "apache-arrow";
import { InputError } from "../../core/errors.js";
import type { StageRegistry } from "../../core/registry.js";
import type { SavedStage } from "../../core/saved-stage.js";
import type { FittedStage } from "../../core/stage.js";
import { labelsTable } from "../../../stages/string-indexer.js";
import { PipelineModel } from "../../model/pipeline-model.js";
import type { RemotePipelineModel, RemoteStage } from "./remote-pipeline.js";

const ALS_MODEL = "org.apache.spark.ml.recommendation.ALSModel";
const STRING_INDEXER_MODEL = "org.apache.spark.ml.feature.StringIndexerModel";

/**
 * Brings a fitted pipeline back from the cluster as a local PipelineModel: ALS factors (userFactors, itemFactors) and
 * StringIndexer labels are fetched, then loaded through each stage's own Spark-layout loader, so the model recpipe
 * writes is the one Spark's loaders and `recpipe recommend` read. Transformers come back as their local stage.
 */
export async function fetchPipelineModel(remote: RemotePipelineModel, registry: StageRegistry, uid: string): Promise<PipelineModel> {
  const fitted: FittedStage[] = [];
  for (const s of remote.stages) fitted.push(s.model ? await fetchStage(remote, registry, s) : localTransformer(s));
  return new PipelineModel(uid, fitted);
}

/**
 * A transformer as it ran on the cluster: IndexToString's `labelsFrom` was resolved there into `labels` (the fitted
 * indexer's), which the local stage must carry too, or it cannot transform nor be saved with its labels.
 */
function localTransformer(s: RemoteStage): FittedStage {
  const labels = s.op.params.find((p) => p.name === "labels")?.value;
  const stage = s.stage as FittedStage & { withLabels?: (labels: readonly string[]) => FittedStage };
  return Array.isArray(labels) && stage.withLabels ? stage.withLabels(labels as string[]) : stage;
}

async function fetchStage(remote: RemotePipelineModel, registry: StageRegistry, s: RemoteStage): Promise<FittedStage> {
  const ml = remote.ml;
  const base = s.stage.save();
  let saved: SavedStage;
  if (s.model!.className === ALS_MODEL) {
    const what = `fetching the factors of ${s.stage.name}`;
    const [rank, userFactors, itemFactors] = await Promise.all([
      ml.fetchValue(s.model!, "rank", what),
      ml.collect(ml.fetchRelation(s.model!, "userFactors"), what).then(sortedById),
      ml.collect(ml.fetchRelation(s.model!, "itemFactors"), what).then(sortedById),
    ]);
    saved = { ...base, className: ALS_MODEL, extra: { ...base.extra, rank }, tables: { userFactors, itemFactors } };
  } else if (s.model!.className === STRING_INDEXER_MODEL) {
    const labels = (await ml.fetchValue(s.model!, "labelsArray", `fetching the labels of ${s.stage.name}`)) as string[][];
    saved = { ...base, className: STRING_INDEXER_MODEL, tables: { data: labelsTable(labels) } };
  } else {
    throw new InputError("E_UNSUPPORTED", `${s.stage.name}: recpipe cannot fetch a ${s.model!.className} back from Spark`);
  }
  const loader = registry.loaderFor(saved.className);
  if (!loader) throw new InputError("E_UNSUPPORTED", `${s.stage.name}: no loader for ${saved.className}`);
  return loader(saved, () => {
    throw new Error("nested stages are not fetched");
  }) as FittedStage;
}

/** Factor rows in id order: Spark returns them in partition order; sorted, the written model is the same every run. */
function sortedById(t: Table): Table {
  const ids = Int32Array.from(t.getChild("id")!.toArray() as Int32Array);
  const features = t.getChild("features")!;
  const order = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b]);
  const type = new List(new Field("element", new Float32(), false));
  return new Table({
    id: makeVector(Int32Array.from(order, (r) => ids[r])),
    features: vectorFromArray(order.map((r) => Float32Array.from(features.get(r) as Iterable<number>)), type),
  });
}
