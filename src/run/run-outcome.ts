import type { Table } from "apache-arrow";
import type { PipelineStage } from "../core/stage.js";
import type { LoadedPipeline } from "../spec/load-pipeline-file.js";
import type { PipelineModel } from "../model/pipeline-model.js";
import type { EngineRecord, InputRecord } from "../engines/engine.js";
import type { RecommendationsTable } from "../model/recommendations-table.js";
import type { Timings } from "./timings.js";
import type { TuneResult } from "../model/tune-result.js";
import type { ItemAttributes } from "../model/item-attributes.js";
import type { FunnelStep } from "../prepare/funnel.js";
import type { AlsKernelName } from "../kernels/als-kernel-choice.js";

/** Everything a run computed, before it is written: what the run directory and the report are made from. */
export interface RunOutcome {
  loaded: LoadedPipeline;
  input: InputRecord;
  /** The rows, when this process holds them (always for the local engine; a remote run may have only `rows`). */
  data?: Table;
  /** The rows the saved model was fitted on: the training split, or every row after tune.refit: all. */
  train?: Table;
  test?: Table;
  /** Row counts of the data and of each side of the split (`train` counts the rows the saved model was fitted on). */
  rows: { data: number; train: number; test: number };
  /** Which engine ran the pipeline; absent means the local engine. */
  engine?: EngineRecord;
  /** A few users' recommendations for report.html when there is no recommend block and no local training rows. */
  reportRecommendations?: RecommendationsTable;
  model: PipelineModel;
  stages: PipelineStage[];
  metrics: Record<string, number>;
  trainMetrics: Record<string, number>;
  notes: string[];
  baselines: Record<string, Record<string, number>>;
  tune?: TuneResult;
  recommendations?: RecommendationsTable;
  /** `items:` attributes of the saved model's items (saved with the model, joined into the outputs), and their file. */
  itemAttributes?: ItemAttributes;
  itemsInput?: InputRecord;
  timings: Timings;
  workers: number;
  /** The build of the ALS kernels the local engine ran (manifest.json `kernels.als`). */
  alsKernel?: AlsKernelName;
  /** The prepare funnel: rows, distinct users and items after reading and after each prepare step (counted by the engine that ran them; absent on a remote run without prepare:). */
  prepare?: FunnelStep[];
}
