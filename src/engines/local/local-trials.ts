import type { Table } from "apache-arrow";
import { InputError } from "../../core/errors.js";
import { SeededRandom } from "../../core/rng.js";
import type { TunerSettings } from "../../core/define-stage.js";
import { float64Column, takeRows } from "../../core/table.js";
import { fitPipeline, pipelineUid } from "../../model/pipeline-model.js";
import type { LoadedPipeline } from "../../spec/load-pipeline-file.js";
import { drawsOneFold, type TrialEngine } from "../engine.js";
import { computeBaselines } from "./baselines.js";
import { evaluationInput } from "./evaluate-model.js";

/** Trials on Arrow tables: folds drawn here from the training rows, each trial a local fit and score. */
export function localTrials(loaded: LoadedPipeline, train: Table): TrialEngine {
  let folds: Fold[] = [];
  return {
    async prepareFolds(tuner, seed) {
      folds = foldsOf(tuner, train, seed);
      return folds.length;
    },
    async trial(candidate, f, evaluator, ctx, withBaselines) {
      const fold = folds[f];
      const model = await fitPipeline(candidate, fold.fit, ctx, pipelineUid(loaded.spec.seed, loaded.spec.name));
      const input = await evaluationInput(model, [evaluator], fold.fit, fold.validate, ctx);
      const metric = await evaluator.evaluate(input, ctx);
      const baselines = withBaselines
        ? await computeBaselines(loaded.registry, model, [evaluator], fold.fit, fold.validate, ctx, loaded.spec.seed, loaded.spec.baselines)
        : undefined;
      return { metric, baselines };
    },
    workersPerTrial: (workers, parallelism) => Math.max(1, Math.floor(workers / parallelism)),
  };
}

interface Fold {
  fit: Table;
  validate: Table;
}

function foldsOf(tuner: TunerSettings, train: Table, seed: number): Fold[] {
  const n = train.numRows;
  if (drawsOneFold(tuner)) {
    const ratio = tuner.params.trainRatio as number;
    const rng = new SeededRandom(seed);
    const inFit = new Uint8Array(n);
    for (let i = 0; i < n; i++) inFit[i] = rng.nextDouble() < ratio ? 1 : 0;
    return [split(train, inFit, 1)];
  }
  const k = tuner.params.numFolds as number;
  const foldOf = new Int32Array(n);
  const foldCol = tuner.params.foldCol as string;
  if (foldCol) {
    const v = float64Column(train, foldCol, `tune (${tuner.name}).foldCol`);
    for (let i = 0; i < n; i++) {
      const f = v[i];
      if (!Number.isInteger(f) || f < 0 || f >= k) {
        throw new InputError("E_DATA", `tune (${tuner.name}).foldCol: column "${foldCol}" must hold integers in [0, numFolds=${k}); row ${i} has ${f}`);
      }
      foldOf[i] = f;
    }
  } else {
    const rng = new SeededRandom(seed);
    for (let i = 0; i < n; i++) foldOf[i] = Math.min(k - 1, Math.floor(rng.nextDouble() * k));
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const inFit = new Uint8Array(n);
    let validating = 0;
    for (let i = 0; i < n; i++) {
      inFit[i] = foldOf[i] === f ? 0 : 1;
      validating += 1 - inFit[i];
    }
    if (validating === 0)
      throw new InputError("E_DATA", `tune (${tuner.name}): fold ${f} of ${k} is empty (${n} training rows${foldCol ? `, foldCol "${foldCol}"` : ""})`);
    folds.push(split(train, inFit, 1));
  }
  return folds;
}

function split(table: Table, inFit: Uint8Array, fitValue: number): Fold {
  let nFit = 0;
  for (let i = 0; i < inFit.length; i++) nFit += inFit[i] === fitValue ? 1 : 0;
  const fit = new Int32Array(nFit);
  const val = new Int32Array(inFit.length - nFit);
  for (let i = 0, a = 0, b = 0; i < inFit.length; i++) {
    if (inFit[i] === fitValue) fit[a++] = i;
    else val[b++] = i;
  }
  return { fit: takeRows(table, fit), validate: takeRows(table, val) };
}
