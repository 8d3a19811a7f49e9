import type { Schema, Table } from "apache-arrow";
import { deriveUid } from "../core/define-stage.js";
import { spawnSeed } from "../core/rng.js";
import type { RunContext } from "../core/run-context.js";
import type { SavedStage } from "../core/saved-stage.js";
import { InputError, isInputError, type RecpipeError } from "../core/errors.js";
import { hasIndexLabels, isRecommender, needsLabels, type FittedStage, type PipelineStage, type Recommender } from "../core/stage.js";

export const PIPELINE_CLASS = "org.apache.spark.ml.Pipeline";
export const PIPELINE_MODEL_CLASS = "org.apache.spark.ml.PipelineModel";

/** Spark's PipelineModel: fitted stages applied in order. */
export class PipelineModel {
  constructor(
    readonly uid: string,
    readonly stages: readonly FittedStage[],
  ) {}

  transformSchema(schema: Schema): Schema {
    return foldSchema(this.stages, schema);
  }

  async transform(table: Table, ctx: RunContext): Promise<Table> {
    let cur = table;
    for (const [i, s] of this.stages.entries()) {
      // What each stage received is what transformBefore(table, s) would compute again: remember it.
      this.remember(table, s, cur);
      cur = await atPlace(i, s, () => s.transform(cur, ctx));
    }
    return cur;
  }

  private readonly before = new WeakMap<FittedStage, WeakMap<Table, Promise<Table>>>();

  /** Records that the stages before `stop`, applied to `input`, gave `output` (fitting computed it already). */
  remember(input: Table, stop: FittedStage, output: Table): void {
    let byTable = this.before.get(stop);
    if (!byTable) this.before.set(stop, (byTable = new WeakMap()));
    if (!byTable.has(input)) byTable.set(input, Promise.resolve(output));
  }

  /**
   * Output of every stage before `stop` (the feature stages before the recommender), i.e. the table the recommender
   * saw. Remembered per input table: evaluation, baselines, recommendations and the report all need it for the same
   * train and test tables, and on 20M rows each transform costs seconds.
   */
  transformBefore(table: Table, ctx: RunContext, stop: FittedStage): Promise<Table> {
    let byTable = this.before.get(stop);
    if (!byTable) this.before.set(stop, (byTable = new WeakMap()));
    let out = byTable.get(table);
    if (!out) {
      out = (async () => {
        let cur = table;
        for (const [i, s] of this.stages.entries()) {
          if (s === stop) break;
          cur = await atPlace(i, s, () => s.transform(cur, ctx));
        }
        return cur;
      })();
      byTable.set(table, out);
    }
    return out;
  }

  /** The last stage that can rank items for users (ALS, baselines), if any. */
  recommender(): (FittedStage & Recommender) | undefined {
    for (let i = this.stages.length - 1; i >= 0; i--) {
      const s = this.stages[i];
      if (isRecommender(s)) return s as FittedStage & Recommender;
    }
    return undefined;
  }

  save(): SavedStage {
    const digits = String(this.stages.length).length;
    return {
      className: PIPELINE_MODEL_CLASS,
      uid: this.uid,
      paramMap: { stageUids: this.stages.map((s) => s.uid) },
      defaultParamMap: {},
      children: this.stages.map((s, i) => ({ path: `stages/${String(i).padStart(digits, "0")}_${s.uid}`, stage: s.save() })),
    };
  }
}

/** Spark's Pipeline (unfitted), saved inside CrossValidatorModel as `estimator/`. */
export function savePipeline(uid: string, stages: readonly PipelineStage[]): SavedStage {
  const digits = String(stages.length).length;
  return {
    className: PIPELINE_CLASS,
    uid,
    paramMap: { stageUids: stages.map((s) => s.uid) },
    defaultParamMap: {},
    children: stages.map((s, i) => ({ path: `stages/${String(i).padStart(digits, "0")}_${s.uid}`, stage: s.save() })),
  };
}

/**
 * Spark's Pipeline.fit: estimators up to the last one are fitted in order; each stage's output feeds the next only
 * while a later estimator still needs it, so the last estimator's own transform is never computed during fit.
 */
export async function fitPipeline(
  stages: readonly PipelineStage[],
  table: Table,
  ctx: RunContext,
  uid: string,
  onStage?: (stage: PipelineStage, seconds: number) => void,
): Promise<PipelineModel> {
  let lastEstimator = -1;
  stages.forEach((s, i) => {
    if (s.role === "estimator") lastEstimator = i;
  });
  const fitted: FittedStage[] = [];
  const inputs: Table[] = [];
  let cur = table;
  for (let i = 0; i < stages.length; i++) {
    inputs.push(cur);
    const s = withResolvedLabels(stages[i], fitted);
    const t0 = performance.now();
    // Each stage draws from its own seed, derived by name, so adding a stage never shifts another's randomness.
    const stageCtx = { ...ctx, seed: spawnSeed(ctx.seed, s.name) };
    const out: FittedStage = s.role === "estimator" ? await s.fit(cur, stageCtx) : s;
    onStage?.(s, (performance.now() - t0) / 1000);
    fitted.push(out);
    if (i < lastEstimator) cur = await atPlace(i, out, () => out.transform(cur, stageCtx));
  }
  const model = new PipelineModel(uid, fitted);
  // The training rows as each stage up to the last estimator saw them: evaluation, baselines and recommendations
  // need them again (excluding seen items, fitting the baselines), and on 20M rows a transform costs seconds.
  for (let i = 0; i <= lastEstimator; i++) model.remember(table, fitted[i], inputs[i]);
  return model;
}

/**
 * index-to-string with `labelsFrom`: the labels of the named string-indexer, fitted earlier in this same fit (the
 * indexer's output column named like the stage's inputCol, else its first column). The pipeline file's loader has
 * already checked that the name is an earlier string-indexer.
 */
function withResolvedLabels(stage: PipelineStage, fitted: readonly FittedStage[]): PipelineStage {
  if (!needsLabels(stage)) return stage;
  const source = fitted.find((f) => f.name === stage.labelsSource);
  const outputs = source && (source as { outputCols?: readonly string[] }).outputCols;
  if (!source || !hasIndexLabels(source) || !outputs || outputs.length === 0)
    throw new InputError("E_SPEC", `${stage.name}.labelsFrom: "${stage.labelsSource}" is not a fitted string-indexer earlier in the pipeline`);
  const column = outputs.includes(stage.labelsColumn) ? stage.labelsColumn : outputs[0];
  return stage.withLabels(source.labelsFor(column)!);
}

export function pipelineUid(seed: number, name: string): string {
  return deriveUid("pipeline", `${seed}:${name}`);
}

/** Folds transformSchema over the stages before any data is fitted (Spark's Pipeline.transformSchema). */
export function foldSchema(stages: readonly (PipelineStage | FittedStage)[], schema: Schema): Schema {
  return stages.reduce((s, st, i) => atPlace(i, st, () => st.transformSchema(s)), schema);
}

/**
 * Stages whose errors name their place in the file, `pipeline[i] (sql-transformer).statement`, as a prepare step's
 * do: a statement's error is about text written at that place, and two statements are told apart only by it. Other
 * stages keep their `name.key` messages (docs/bad-inputs.md quotes them).
 */
const ADDRESSED_BY_PLACE = new Set(["sql-transformer"]);

/** `fn`'s exit-2 error re-addressed to `pipeline[i]` for the stages above (the stage's name replaced by its place). */
function atPlace<T>(i: number, st: { type: string; name: string }, fn: () => T): T {
  if (!ADDRESSED_BY_PLACE.has(st.type)) return fn();
  const readdress = (e: unknown): unknown => {
    if (!isInputError(e) || e.message.startsWith("pipeline[")) return e;
    const label = `pipeline[${i}] (${st.type}${st.name !== st.type ? ` "${st.name}"` : ""})`;
    const own = [`${st.name} (${st.type})`, st.name].find((p) => e.message.startsWith(`${p}.`) || e.message.startsWith(`${p}:`));
    const msg = own !== undefined ? label + e.message.slice(own.length) : `${label}: ${e.message}`;
    return new InputError((e as RecpipeError).code as never, msg, { cause: e });
  };
  try {
    const out = fn();
    return (out instanceof Promise ? out.catch((e: unknown) => Promise.reject(readdress(e))) : out) as T;
  } catch (e) {
    throw readdress(e);
  }
}
