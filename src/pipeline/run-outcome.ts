import type { Table } from "apache-arrow";
import type { PipelineStage } from "../core/stage.js";
import type { LoadedPipeline } from "./load-pipeline-file.js";
import type { PipelineModel } from "./pipeline-model.js";
import type { InputRecord } from "./read-source.js";
import type { RecommendationsTable } from "./recommend-for-run.js";
import type { Timings } from "./timings.js";
import type { TuneResult } from "./tune.js";

/** Everything a run computed, before it is written: what the run directory and the report are made from. */
export interface RunOutcome {
  loaded: LoadedPipeline;
  input: InputRecord;
  data: Table;
  /** The rows the saved model was fitted on: the training split, or every row after tune.refit: all. */
  train: Table;
  test: Table;
  model: PipelineModel;
  stages: PipelineStage[];
  metrics: Record<string, number>;
  trainMetrics: Record<string, number>;
  notes: string[];
  baselines: Record<string, Record<string, number>>;
  tune?: TuneResult;
  recommendations?: RecommendationsTable;
  timings: Timings;
  workers: number;
}

