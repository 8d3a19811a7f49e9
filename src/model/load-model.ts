import { displayPath } from "../io/display-path.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ZodError } from "zod";
import { InputError, isInputError } from "../core/errors.js";
import type { StageRegistry } from "../core/registry.js";
import type { SavedStage } from "../core/saved-stage.js";
import type { Estimator, Evaluator, FittedStage } from "../core/stage.js";
import { loadSavedStage } from "../io/model-store.js";
import { createRegistry } from "../../stages/index.js";
import { IdLabels } from "./id-labels.js";
import { PIPELINE_CLASS, PIPELINE_MODEL_CLASS, PipelineModel } from "./pipeline-model.js";

const TUNED = new Set(["org.apache.spark.ml.tuning.CrossValidatorModel", "org.apache.spark.ml.tuning.TrainValidationSplitModel"]);

export interface LoadedModel {
  dir: string;
  saved: SavedStage;
  /** The model to apply: a PipelineModel (a lone model is wrapped in one; a tuned model gives its bestModel). */
  model: PipelineModel;
}

/**
 * Loads a Spark-layout model directory written by recpipe or by Spark 2.3-4.x. Every class in the tree must be one
 * recpipe implements; otherwise the error lists each unsupported class with its path (exit 2), never a crash.
 */
export async function loadModel(given: string, registry: StageRegistry = createRegistry()): Promise<LoadedModel> {
  const dir = modelDirOf(given);
  return modelFromSaved(await loadSavedStage(dir), dir, registry);
}

/** loadModel for a tree already read from `dir` (`recpipe inspect` reads it once to describe it, then builds it). */
export function modelFromSaved(saved: SavedStage, dir: string, registry: StageRegistry = createRegistry()): LoadedModel {
  const unsupported: string[] = [];
  collectUnsupported(saved, registry, displayPath(dir), unsupported);
  if (unsupported.length > 0) {
    throw new InputError(
      "E_UNSUPPORTED",
      `${dir}: the model holds classes recpipe does not implement:\n${unsupported.map((u) => `  ${u}`).join("\n")}\nrecpipe implements: ${[...registry.knownClasses(), PIPELINE_MODEL_CLASS, ...TUNED].join(", ")}`,
    );
  }
  const fitted = toFitted(saved, registry);
  const model = fitted instanceof PipelineModel ? fitted : new PipelineModel(saved.uid, [fitted as FittedStage]);
  checkFactorIds(model, saved, displayPath(dir));
  return { dir, saved, model };
}

/** A run directory stands for its model/: `--model runs/x` and `--model runs/x/model` load the same model. */
function modelDirOf(dir: string): string {
  const inRun = join(dir, "model");
  return !existsSync(join(dir, "metadata")) && existsSync(join(inRun, "metadata")) ? inRun : dir;
}

/**
 * A recommender's ids must be ids its pipeline's indexers produced: an id beyond the indexer's labels can only come
 * from a damaged or mismatched file, and would otherwise surface as a user named `__unknown_65495` or a cold start.
 */
function checkFactorIds(model: PipelineModel, saved: SavedStage, shown: string): void {
  const rec = model.recommender();
  if (!rec) return;
  const sides = [
    { column: rec.userCol, ids: rec.knownUsers(), table: "userFactors" },
    { column: rec.itemCol, ids: rec.knownItems(), table: "itemFactors" },
  ];
  for (const side of sides) {
    const count = new IdLabels(model, side.column).count;
    if (count === undefined) continue;
    const bad = side.ids.find((id) => id < 0 || id >= count);
    if (bad === undefined) continue;
    const where = originOf(saved, (rec as FittedStage).uid) ?? shown;
    throw new InputError(
      "E_MODEL",
      `${where}/${side.table}: id ${bad} is outside the range of the string indexer that produces column "${side.column}" (0 to ${count - 1}, ${count} labels); the factors do not belong to this pipeline's indexer, or the file is damaged`,
    );
  }
}

function originOf(s: SavedStage, uid: string): string | undefined {
  if (s.uid === uid && s.origin) return s.origin;
  for (const c of s.children ?? []) {
    const o = originOf(c.stage, uid);
    if (o) return o;
  }
  return undefined;
}

function collectUnsupported(s: SavedStage, registry: StageRegistry, path: string, out: string[]): void {
  const known =
    s.className === PIPELINE_MODEL_CLASS || s.className === PIPELINE_CLASS || TUNED.has(s.className) || registry.loaderFor(s.className) !== undefined;
  if (!known) out.push(`${s.className} (${path})`);
  for (const c of s.children ?? []) {
    // A tuned model's estimator/ and evaluator/ are only needed to re-fit; only bestModel/ must load.
    if (TUNED.has(s.className) && c.path !== "bestModel") continue;
    collectUnsupported(c.stage, registry, `${path}/${c.path}`, out);
  }
}

function toFitted(s: SavedStage, registry: StageRegistry): FittedStage | PipelineModel | Estimator | Evaluator {
  if (s.className === PIPELINE_MODEL_CLASS) {
    const stages = (s.children ?? []).map((c) => toFitted(c.stage, registry));
    return new PipelineModel(s.uid, stages as FittedStage[]);
  }
  if (TUNED.has(s.className)) {
    const best = s.children?.find((c) => c.path === "bestModel");
    if (!best) throw new InputError("E_MODEL", `${s.className} ${s.uid}: no bestModel/ folder`);
    return toFitted(best.stage, registry);
  }
  const loader = registry.loaderFor(s.className);
  if (!loader) throw new InputError("E_UNSUPPORTED", `${s.origin ?? s.uid}: class ${s.className} is not implemented by recpipe`);
  try {
    return loader(s, (child) => toFitted(child, registry) as FittedStage);
  } catch (e) {
    if (isInputError(e)) throw e;
    // A loader that fails on what the files hold (e.g. a param value its schema rejects) is bad input, not a crash.
    const msg =
      e instanceof ZodError ? e.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ") : e instanceof Error ? e.message : String(e);
    throw new InputError("E_MODEL", `${s.origin ?? s.uid}/metadata: ${s.className} cannot be built from its saved params: ${msg}`, { cause: e });
  }
}
