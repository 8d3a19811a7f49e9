import { applyPrepare, prepareSchema } from "../../prepare/apply-prepare.js";
import type { FunnelStep } from "../../prepare/funnel.js";
import { recommenderIdColumns } from "../../prepare/id-columns.js";
import { sourceCountsBeside } from "../../prepare/source-counts.js";
import { availableParallelism } from "node:os";
import type { Table } from "apache-arrow";
import type { Evaluator, PipelineStage, Splitter } from "../../core/stage.js";
import type { RunContext } from "../../core/run-context.js";
import { displayPath } from "../../io/display-path.js";
import { fitPipeline, foldSchema, pipelineUid, type PipelineModel } from "../../model/pipeline-model.js";
import type { RecommendationsTable } from "../../model/recommendations-table.js";
import { checkRatingsFinite } from "./check-ratings.js";
import { checkRunFitsMemory, gb } from "./memory-estimate.js";
import type { Engine, EngineKind, EngineSetup, LoadedData, PrepareStep, RecommendSpec, SplitData, TrialEngine } from "../engine.js";
import { computeBaselines } from "./baselines.js";
import { evaluateModel } from "./evaluate-model.js";
import { localTrials } from "./local-trials.js";
import { readSource } from "./read-source.js";
import { recommendOutputs } from "./recommend-outputs.js";
import { readItems } from "./read-items.js";
import { attributesForModel } from "./join-item-attributes.js";
import type { ItemAttributes } from "../../model/item-attributes.js";
import type { InputRecord } from "../engine.js";
import { sharedTopK, type SharedTopK } from "./shared-top-k.js";
import { trainMetrics } from "./train-error.js";

/** The local engine: Arrow tables in this process, the WASM kernels on all cores (or `--workers`). */
export const localEngine: EngineKind = {
  runsPlugins: true,
  defaultWorkers: () => availableParallelism(),
  async start(setup) {
    // Refused before reading when it cannot fit: a crash half an hour in, after the data was read, helps nobody.
    const memory = await checkRunFitsMemory(setup.loaded.spec, setup.loaded.baseDir);
    if (memory) setup.base.log(`memory: about ${gb(memory.bytes)} estimated for ${memory.rows.toLocaleString("en-US")} ratings`);
    return new LocalEngine(setup);
  },
};

class LocalEngine implements Engine<Table, PipelineModel> {
  /**
   * Ranking metrics and recommendations read one top-k computation when both are asked for of the same model (see
   * shared-top-k.ts); a refitted model recommends from its own lists.
   */
  private shared?: SharedTopK;
  /** The `items:` file as read, and its rows for the final model's items (computed once). */
  private items?: { attributes: ItemAttributes; input: InputRecord };
  private attributes?: ItemAttributes;

  constructor(private readonly s: EngineSetup) {}

  async load(stages: readonly PipelineStage[], steps: readonly PrepareStep[] = []): Promise<LoadedData<Table>> {
    const { spec, baseDir } = this.s.loaded;
    const { table, input } = await readSource(spec.source, baseDir, spec.seed, this.s.base.progress, this.s.base.warn, this.s.base.workers);
    this.s.base.log(`read ${table.numRows.toLocaleString("en-US")} rows`);
    // Every column and type is checked across the whole pipeline before anything is fitted (Spark's transformSchema).
    // prepare's steps come first, each error naming prepare[i]; the rating checks then see what they leave.
    foldSchema(
      stages as PipelineStage[],
      prepareSchema(
        steps.map((s) => s.stage),
        table.schema,
      ),
    );
    this.sourceName = input.path ? displayPath(input.path) : "the source";
    if (spec.items) this.items = await readItems(spec.items, baseDir);
    return { data: table, rows: table.numRows, input, table, itemsInput: this.items?.input };
  }

  private sourceName = "the source";

  async prepare(data: Table, steps: readonly PrepareStep[]): Promise<{ data: Table; rows: number; funnel: Promise<FunnelStep[]> }> {
    const { spec } = this.s.loaded;
    const cols = recommenderIdColumns(spec.pipeline);
    if (steps.length === 0) {
      checkRatingsFinite(spec.pipeline, data, this.sourceName);
      const source = sourceCountsBeside(data, cols);
      // Awaited when the run is written; a run that fails first must not report it as an unhandled rejection.
      source.catch(() => undefined);
      return { data, rows: data.numRows, funnel: source.then((row) => [row]) };
    }
    const prepared = await this.s.time("prepare", () =>
      applyPrepare(
        steps.map((s) => s.stage),
        data,
        this.s.ctxFor("prepare"),
        cols,
      ),
    );
    const out = prepared.table;
    checkRatingsFinite(spec.pipeline, out, out === data ? this.sourceName : `the data after prepare (read from ${this.sourceName})`);
    return { data: out, rows: out.numRows, funnel: Promise.resolve(prepared.funnel) };
  }

  async split(data: Table, splitter: Splitter, ctx: RunContext, reuseInput = false): Promise<SplitData<Table>> {
    const { train, test } = splitter.split(data, ctx, { reuseInput });
    return { train, test, rows: { train: train.numRows, test: test.numRows } };
  }

  trials(train: Table): TrialEngine {
    return localTrials(this.s.loaded, train);
  }

  fit(stages: readonly PipelineStage[], rows: Table): Promise<PipelineModel> {
    const { spec } = this.s.loaded;
    return fitPipeline(stages as PipelineStage[], rows, { ...this.s.base, seed: spec.seed }, pipelineUid(spec.seed, spec.name));
  }

  async fetch(fitted: PipelineModel): Promise<PipelineModel> {
    return fitted;
  }

  async evaluate(model: PipelineModel, evaluators: readonly Evaluator[], train: Table, test: Table, recommendsLater: boolean): Promise<Record<string, number>> {
    if (recommendsLater) {
      const topK = sharedTopK(model, evaluators, this.s.loaded.spec.recommend, train, test, this.s.ctxFor("evaluate"));
      // Awaited below: a bad test column failing it during setImmediate must stay this phase's error (exit 2), not crash.
      topK.catch(() => undefined);
      // The shared top-k runs on worker threads with this thread idle, and the baselines (fitted and scored on this
      // thread, independent of the model's lists) are the next work the run asks for: at 10M ratings they overlap
      // about a second. setImmediate lets the top-k reach its workers first; baselines() then returns this result.
      if (evaluators.some((e) => e.needsRecommender) && this.s.loaded.spec.recommend?.excludeSeen) {
        await new Promise((resolve) => setImmediate(resolve));
        this.early = { model, train, test, result: this.computeBaselines(model, evaluators, train, test) };
        // Awaited by baselines(); a failure here is that phase's to report, not an unhandled rejection meanwhile.
        this.early.result.catch(() => undefined);
      }
      this.shared = await topK;
    }
    return evaluateModel(model, evaluators, train, test, this.s.ctxFor("evaluate"), this.shared);
  }

  /** Baselines started while the shared top-k ran (see evaluate), for the model and split they were started for. */
  private early?: { model: PipelineModel; train: Table; test: Table; result: Promise<Record<string, Record<string, number>>> };

  trainMetrics(model: PipelineModel, evaluators: readonly Evaluator[], train: Table): Promise<Record<string, number>> {
    return trainMetrics(model, evaluators, train, this.s.ctxFor("evaluate"));
  }

  baselines(model: PipelineModel, evaluators: readonly Evaluator[], train: Table, test: Table): Promise<Record<string, Record<string, number>>> {
    const early = this.early;
    this.early = undefined;
    if (early && early.model === model && early.train === train && early.test === test) return early.result;
    return this.computeBaselines(model, evaluators, train, test);
  }

  private computeBaselines(model: PipelineModel, evaluators: readonly Evaluator[], train: Table, test: Table): Promise<Record<string, Record<string, number>>> {
    return computeBaselines(
      this.s.loaded.registry,
      model,
      evaluators,
      train,
      test,
      this.s.ctxFor("baselines"),
      this.s.loaded.spec.seed,
      this.s.loaded.spec.baselines,
    );
  }

  recommend(model: PipelineModel, _model: PipelineModel, spec: RecommendSpec, seen: Table): Promise<RecommendationsTable> {
    return recommendOutputs(model, spec, seen, this.s.ctxFor("recommend"), this.shared, this.itemAttributes(model));
  }

  itemAttributes(model: PipelineModel): ItemAttributes | undefined {
    if (this.items) this.attributes ??= attributesForModel(this.items.attributes, model, this.s.base);
    return this.attributes;
  }

  /** The report computes its few users' lists itself, from the local training rows. */
  async reportRecommendations(): Promise<undefined> {
    return undefined;
  }

  async keep(): Promise<void> {}

  async release(): Promise<void> {}

  localTable(data: Table): Table {
    return data;
  }

  async failure(e: unknown): Promise<unknown> {
    return e;
  }

  async close(): Promise<void> {}
}
