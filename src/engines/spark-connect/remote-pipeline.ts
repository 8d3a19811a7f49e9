import { InputError, isInputError, type RecpipeError } from "../../core/errors.js";
import type { StageRegistry } from "../../core/registry.js";
import { spawnSeed } from "../../core/rng.js";
import type { Evaluator, PipelineStage } from "../../core/stage.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import type { Candidates, RankingData } from "./stages/index.js";
import { remoteStageOf } from "./stages/index.js";
import { fieldsOf } from "./stages/index.js";
import type { FittedRemoteStage, RemoteStage } from "./stages/index.js";
import type { SparkParamType } from "./transport/literal.js";
import type { SparkMl, SparkOperator, SparkParam } from "./transport/ml.js";

/** How a stage of this pipeline runs on Spark (stages/index.ts), found by its definition in the run's registry. */
export function remoteStageFor(registry: StageRegistry, stage: { type: string; name: string }): RemoteStage {
  const remote = remoteStageOf(registry.get(stage.type));
  if (!remote) throw new InputError("E_UNSUPPORTED", `${stage.name} (${stage.type}) has no Spark Connect equivalent in recpipe`);
  return remote;
}

/**
 * The operator a stage sends: its mapping's class and params with recpipe's resolved values. A stage without its own
 * seed gets the one the local engine would derive (pipeline seed + stage name), so both engines start alike.
 */
export function sparkOperator(
  registry: StageRegistry,
  stage: { type: string; uid: string; name: string; params: Readonly<Record<string, unknown>> },
  runSeed: number,
): SparkOperator {
  const mapping = remoteStageOf(registry.get(stage.type));
  if (!mapping?.className) throw new InputError("E_UNSUPPORTED", `${stage.name} (${stage.type}) has no Spark ML operator`);
  const params: SparkParam[] = [];
  for (const [name, type] of Object.entries(mapping.params ?? {}) as [string, SparkParamType][]) {
    let value = stage.params[name];
    if (name === "seed" && value === undefined) value = spawnSeed(runSeed, stage.name);
    if (value === undefined) continue;
    params.push({ name, value, type });
  }
  return { className: mapping.className, uid: stage.uid, params };
}

/** A transformer's output on the cluster: its stage's own plan when it has one (stages/binarizer.ts), else `op`. */
export function applyTransformer(ml: SparkMl, remote: RemoteStage, op: SparkOperator, input: Relation): Relation {
  return remote.apply ? remote.apply(ml, op, input) : ml.transformWith(op, input);
}

/** Spark's PipelineModel, held on the cluster: fitted stages applied in order by Transform relations. */
export class RemotePipelineModel {
  constructor(
    readonly ml: SparkMl,
    readonly stages: FittedRemoteStage[],
  ) {}

  /** The pipeline's output over `input`, or the output of the stages before stage index `stop`. */
  transform(input: Relation, stop = this.stages.length): Relation {
    let cur = input;
    for (const s of this.stages.slice(0, stop)) cur = s.model ? this.ml.transform(s.model, cur) : applyTransformer(this.ml, s.remote, s.op, cur);
    return cur;
  }

  /** Index of the last stage that can rank candidates (the recommender), or -1. */
  recommenderIndex(): number {
    for (let i = this.stages.length - 1; i >= 0; i--) if (this.stages[i].remote.candidates) return i;
    return -1;
  }

  /** The recommender's ranked candidates over `data`'s columns, or undefined when the pipeline cannot rank. */
  candidates(data: RankingData): Candidates | undefined {
    const s = this.stages[this.recommenderIndex()];
    return s?.model && s.remote.candidates ? s.remote.candidates(this.ml, s.model, data.userCol, data.itemCol) : undefined;
  }

  release(): Promise<void> {
    return this.ml.delete(this.models());
  }

  /** Frees the models with the next batch of deletes (SparkMl.deleteSoon): for tuning trials, scored and done. */
  releaseSoon(): void {
    this.ml.deleteSoon(this.models());
  }

  private models() {
    return this.stages.flatMap((s) => (s.model ? [s.model] : []));
  }
}

/**
 * Spark's Pipeline.fit on the cluster: estimators up to the last are fitted in order, each on the output of the
 * stages before it. Nothing comes back but model references. `what` says which fit this is in messages ("" for the
 * final one, "for fold 2" in tuning).
 */
export async function fitRemote(
  ml: SparkMl,
  registry: StageRegistry,
  stages: readonly PipelineStage[],
  input: Relation,
  runSeed: number,
  what: string,
): Promise<RemotePipelineModel> {
  let lastEstimator = -1;
  stages.forEach((s, i) => {
    if (s.role === "estimator") lastEstimator = i;
  });
  const fitted: FittedRemoteStage[] = [];
  const model = new RemotePipelineModel(ml, fitted);
  let cur = input;
  try {
    for (let i = 0; i < stages.length; i++) {
      const s = stages[i];
      const remote = remoteStageFor(registry, s);
      const base = sparkOperator(registry, s, runSeed);
      const op = remote.resolve ? await remote.resolve(ml, base, s, fitted) : base;
      const entry: FittedRemoteStage = { stage: s, remote, op };
      if (s.role === "estimator") entry.model = await ml.fit(op, cur, `fitting ${s.name} (${op.className.split(".").pop()})${what ? ` ${what}` : ""}`);
      fitted.push(entry);
      if (i < lastEstimator) {
        cur = entry.model ? ml.transform(entry.model, cur) : applyTransformer(ml, remote, op, cur);
        await checkedOnCluster(ml, remote, s, i, cur);
      }
    }
  } catch (e) {
    await model.release();
    throw e;
  }
  return model;
}

/**
 * A transformer whose input Spark alone can judge (a statement, when the cluster read the file and recpipe never had
 * its schema): its output's columns asked for without reading rows, so that Spark's analysis error names the stage's
 * place and key (`pipeline[0] (sql-transformer).statement`), not the fit that would have failed on it.
 */
async function checkedOnCluster(ml: SparkMl, remote: RemoteStage, s: PipelineStage, i: number, out: Relation): Promise<void> {
  const key = remote.checkedKey?.(s.params);
  if (!key) return;
  const label = `pipeline[${i}] (${s.type}${s.name !== s.type ? ` "${s.name}"` : ""}).${key}`;
  try {
    await fieldsOf(ml, out, `checking ${label}`);
  } catch (e) {
    if (isInputError(e) && (e as RecpipeError).code === "E_DATA" && !e.message.startsWith("pipeline["))
      throw new InputError("E_DATA", `${label}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** The operator of an evaluator that Spark runs itself (regression-evaluator). */
export function evaluatorOperator(registry: StageRegistry, e: Evaluator, runSeed: number): SparkOperator {
  return sparkOperator(registry, e, runSeed);
}
