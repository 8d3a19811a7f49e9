import { InputError, RecpipeError } from "../../core/errors.js";
import { onInterrupt } from "../../core/interrupt-cleanup.js";
import { quietContext, type RunContext } from "../../core/run-context.js";
import type { Evaluator, PipelineStage, Splitter } from "../../core/stage.js";
import { foldSchema, pipelineUid, type PipelineModel } from "../../model/pipeline-model.js";
import { recommendationsTable, type RecommendationsTable } from "../../model/recommendations-table.js";
import type { Engine, EngineKind, EngineRecord, EngineSetup, LoadedData, PrepareStep, RecommendSpec, SplitData, TrialEngine } from "../engine.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import { fetchPipelineModel } from "./fetch-model.js";
import { remoteSource } from "./remote-data.js";
import { prepareRemote } from "./remote-prepare.js";
import { prepareSchema } from "../../prepare/apply-prepare.js";
import type { FunnelStep } from "../../prepare/funnel.js";
import { recommenderIdColumns } from "../../prepare/id-columns.js";
import { remoteBaselines, remoteScores } from "./remote-evaluate.js";
import { fitRemote, remoteStageFor, type RemotePipelineModel } from "./remote-pipeline.js";
import { recommendRemote } from "./remote-recommend.js";
import { assertRunsRemotely } from "./remote-support.js";
import { remoteTrials } from "./remote-tune.js";
import { saveOnCluster } from "./save-on-cluster.js";
import { SparkConnectClient } from "./transport/client.js";
import { SparkMl } from "./transport/ml.js";
import { localCheckpoint, removeCheckpoint } from "./transport/local-checkpoint.js";
import { sql } from "./transport/plan.js";
import { sparkProgress } from "./transport/progress.js";
import { parseRemoteUrl, type RemoteUrl } from "./transport/remote-url.js";
import { ident } from "./transport/sql-text.js";
import { isServerLost } from "./transport/server-lost.js";
import { remoteTimeoutOption } from "./transport/remote-timeout.js";
import { remoteCheckpointAdvice } from "./checkpoint-advice.js";

/**
 * The Spark Connect engine (`--remote sc://HOST:PORT...`): Spark does the data work; what comes back is metrics, the
 * fitted factors and labels (for the Spark-layout model/), and recommendations. Server-side models and cached data
 * are released at the end, after a failure, and on Ctrl-C. `remoteModelPath` also saves the model on the cluster.
 */
export function sparkConnectEngine(remote: string, remoteModelPath?: string, remoteTimeout?: number): EngineKind {
  return {
    // Plugins are recpipe code: a cluster cannot load them (remote-support.ts refuses them).
    runsPlugins: false,
    defaultWorkers: () => 1,
    async start(setup) {
      // Everything the cluster cannot do is refused before connecting: no cluster work is wasted on a doomed run.
      assertRunsRemotely(setup.loaded.file, setup.loaded.spec, setup.loaded.registry);
      const url = parseRemoteUrl(remote);
      const client = await SparkConnectClient.connect(url, setup.client, remoteTimeoutOption(remoteTimeout));
      setup.base.log(`connected to Spark ${client.sparkVersion} at ${url.display} (session ${client.sessionId})`);
      // Spark's ALS without a checkpoint directory on the server (checkpoint-advice.ts says why recpipe only warns).
      const advice = await remoteCheckpointAdvice(client, setup.loaded.spec.pipeline, setup.loaded.spec).catch(() => undefined);
      if (advice) setup.base.warn(advice);
      return new SparkConnectEngine(setup, client, url, remoteModelPath);
    },
  };
}

class SparkConnectEngine implements Engine<Relation, RemotePipelineModel> {
  readonly record: EngineRecord;
  private readonly ml: SparkMl;
  private readonly cached: Relation[] = [];
  /** Checkpointed DataFrames (the split sides, the folds' rows), freed at the end like the cached data. */
  private readonly checkpoints: string[] = [];
  private released?: Promise<void>;
  private interrupted = false;
  private readonly unregister: () => void;
  /** The scoring evaluate() sent for a fitted model: its train metrics and baselines, asked for next, already running. */
  private scoring?: Scoring;

  constructor(
    private readonly s: EngineSetup,
    private readonly client: SparkConnectClient,
    url: RemoteUrl,
    private readonly remoteModelPath?: string,
  ) {
    this.record = { name: "spark-connect", sparkVersion: client.sparkVersion, remote: url.display };
    this.ml = new SparkMl(client, sparkProgress(s.base.progress));
    // The CLI's signal handler runs this before it exits, so the cluster does not keep this run's models and data.
    this.unregister = onInterrupt(`stopping the Spark jobs and releasing the server-side models and cached data at ${url.display}`, async () => {
      this.interrupted = true;
      await this.releaseAll();
    });
  }

  async load(stages: readonly PipelineStage[], steps: readonly PrepareStep[] = []): Promise<LoadedData<Relation>> {
    const { spec, baseDir, registry } = this.s.loaded;
    // Only a step that breaks ties by file position (drop-duplicates) needs each row's position carried to the cluster.
    const withPosition = steps.some((s) => remoteStageFor(registry, s.stage).readsPosition === true);
    const data = await remoteSource(this.ml, spec.source, baseDir, spec.seed, this.s.base.progress, withPosition);
    this.positioned = data.positioned;
    this.s.base.log(`data on the cluster: ${data.rows.toLocaleString("en-US")} rows`);
    // With the rows at hand, every column and type is checked before any fit, as locally (Spark's transformSchema),
    // through the prepare steps first, each error naming prepare[i].
    if (data.table)
      foldSchema(
        stages,
        prepareSchema(
          steps.map((s) => s.stage),
          data.table.schema,
        ),
      );
    return { data: data.relation, rows: data.rows, input: data.input, table: data.table };
  }

  private positioned = false;

  async prepare(data: Relation, steps: readonly PrepareStep[]): Promise<{ data: Relation; rows?: number; funnel?: Promise<FunnelStep[]> }> {
    if (steps.length === 0) return { data };
    const { spec, registry } = this.s.loaded;
    const prepared = await this.s.time("prepare", () =>
      prepareRemote({ rel: data, positioned: this.positioned }, steps, {
        ml: this.ml,
        registry,
        seed: spec.seed,
        cols: recommenderIdColumns(spec.pipeline),
        log: (m) => this.s.base.log(m),
        cache: async (rel) => {
          await this.client.persist(rel);
          this.cached.push(rel);
        },
      }),
    );
    return { data: prepared.data, rows: prepared.funnel.at(-1)?.rows, funnel: Promise.resolve(prepared.funnel) };
  }

  async split(data: Relation, splitter: Splitter, ctx: RunContext): Promise<SplitData<Relation>> {
    const split = remoteStageFor(this.s.loaded.registry, splitter).split;
    if (!split) throw new InputError("E_UNSUPPORTED", `split (${splitter.name}): cannot split on Spark`);
    const sides = split(data, splitter.params, ctx.seed);
    // Each side is computed once and kept (a local checkpoint), not persisted: Spark's cache matches no later plan to a
    // randomSplit side (a Sample over a sort of every row), so a persisted side was sorted and sampled again for every
    // job that read it (the counts, the fold draw, the refit, each scoring): 1-2 s of CPU a read on ML-100k.
    const [train, test] = await Promise.all([
      this.kept(sides.train, "keeping the training split"),
      sides.test && this.kept(sides.test, "keeping the test split"),
    ]);
    return { train, test, rows: await splitCounts(this.ml, train, test) };
  }

  /** A relation computed once and kept on the cluster (localCheckpoint), freed when the engine closes. */
  private async kept(rel: Relation, what: string): Promise<Relation> {
    const kept = await localCheckpoint(this.client, rel, what);
    this.checkpoints.push(kept.id);
    return kept.relation;
  }

  trials(train: Relation): TrialEngine {
    return remoteTrials(this.ml, this.s.loaded, train, (r) => this.kept(r, "keeping the training rows for the folds"));
  }

  fit(stages: readonly PipelineStage[], rows: Relation, what: string): Promise<RemotePipelineModel> {
    return fitRemote(this.ml, this.s.loaded.registry, stages, rows, this.s.loaded.spec.seed, what);
  }

  /** Called at once after the fit: a server short of driver memory may evict cached models (MLCacheInvalidException). */
  async fetch(fitted: RemotePipelineModel): Promise<PipelineModel> {
    const model = await this.s.time("fetch", () => fetchPipelineModel(fitted, this.s.loaded.registry, this.uid()));
    this.fetched = { fitted, model };
    return model;
  }

  /** The last model fetched, with the fitted pipeline it came from (evaluate() starts the report's query with it). */
  private fetched?: { fitted: RemotePipelineModel; model: PipelineModel };
  /** The report's few users' training items, asked for beside the test metrics when the report will need them. */
  private reportSeen?: { fitted: RemotePipelineModel; model: PipelineModel; train: Relation; seen: Promise<{ users: Int32Array; items: Int32Array }> };

  /**
   * The test metrics, and with them the train metrics and the baselines that the run asks for next with the same model
   * and rows: the regression metrics of both sides are one Spark job (remote-evaluate.ts remoteScores), sent beside
   * the baselines, so the cluster runs the small jobs side by side instead of one after another. The values are those
   * of asking one at a time.
   */
  async evaluate(
    fitted: RemotePipelineModel,
    evaluators: readonly Evaluator[],
    train: Relation,
    test: Relation,
    recommendsLater: boolean,
  ): Promise<Record<string, number>> {
    const { registry, spec } = this.s.loaded;
    const handled = <T>(p: Promise<T>) => (p.catch(() => undefined), p);
    // Without a recommend block, report.html's few users' lists (reportRecommendations) come from this model and the
    // training rows: their query is sent now, beside the metrics, rather than alone at the end.
    const f = this.fetched;
    if (recommendsLater && !spec.recommend && f?.fitted === fitted && f.model.recommender())
      this.reportSeen = { fitted, model: f.model, train, seen: handled(this.seenItems(fitted, f.model, train)) };
    const scores = remoteScores(this.ml, registry, fitted, evaluators, train, test, spec.seed);
    this.scoring = {
      fitted,
      evaluators,
      train,
      test,
      onTrain: handled(scores.train),
      baselines: handled(remoteBaselines(this.ml, registry, fitted, evaluators, train, test, spec.seed, spec.baselines)),
    };
    return scores.test;
  }

  trainMetrics(fitted: RemotePipelineModel, evaluators: readonly Evaluator[], train: Relation): Promise<Record<string, number>> {
    const s = this.scoring;
    if (s && s.fitted === fitted && s.evaluators === evaluators && s.train === train) return s.onTrain;
    return remoteScores(this.ml, this.s.loaded.registry, fitted, evaluators, train, undefined, this.s.loaded.spec.seed).train;
  }

  baselines(fitted: RemotePipelineModel, evaluators: readonly Evaluator[], train: Relation, test: Relation): Promise<Record<string, Record<string, number>>> {
    const s = this.scoring;
    if (s && s.fitted === fitted && s.evaluators === evaluators && s.train === train && s.test === test) return s.baselines;
    const { registry, spec } = this.s.loaded;
    return remoteBaselines(this.ml, registry, fitted, evaluators, train, test, spec.seed, spec.baselines);
  }

  async recommend(fitted: RemotePipelineModel, model: PipelineModel, spec: RecommendSpec, seen: Relation): Promise<RecommendationsTable | undefined> {
    return model.recommender() ? recommendRemote(this.ml, fitted, model, spec, seen, this.s.base.warn) : undefined;
  }

  /**
   * report.html shows a few users' recommendations even without a recommend block: the fetched-back model scores the
   * first five users it knows here, excluding what they rated in training (only those users' rows are fetched).
   */
  async reportRecommendations(
    fitted: RemotePipelineModel,
    model: PipelineModel,
    train: Relation,
    made: RecommendationsTable | undefined,
  ): Promise<RecommendationsTable | undefined> {
    const rec = model.recommender();
    if (made?.table || !rec) return undefined;
    const users = rec.knownUsers().subarray(0, 5);
    const early = this.reportSeen;
    const exclude =
      early && early.fitted === fitted && early.model === model && early.train === train ? await early.seen : await this.seenItems(fitted, model, train);
    const lists = await rec.recommendForUsers(Int32Array.from(users), 5, quietContext(), exclude);
    return recommendationsTable(model, { users: lists }, { users: users.length, items: 0 }, 5);
  }

  /** What the first five users the fetched model knows rated in training (only those users' rows are fetched). */
  private async seenItems(fitted: RemotePipelineModel, model: PipelineModel, train: Relation): Promise<{ users: Int32Array; items: Int32Array }> {
    const rec = model.recommender()!;
    const users = rec.knownUsers().subarray(0, 5);
    const r = fitted.recommenderIndex();
    const u = ident(rec.userCol),
      i = ident(rec.itemCol);
    const seen = await this.ml.collect(
      sql(`SELECT CAST(${u} AS INT) AS u, CAST(${i} AS INT) AS i FROM {train} WHERE CAST(${u} AS INT) IN (${Array.from(users).join(", ") || "NULL"})`, {
        train: fitted.transform(train, r),
      }),
      "fetching a few users' training items",
    );
    return {
      users: Int32Array.from(seen.getChild("u")!.toArray() as Int32Array),
      items: Int32Array.from(seen.getChild("i")!.toArray() as Int32Array),
    };
  }

  async keep(fitted: RemotePipelineModel, uid: string): Promise<void> {
    const path = this.remoteModelPath;
    if (path) await this.s.time("save-on-cluster", () => saveOnCluster(fitted, path, uid, this.client.sparkVersion));
  }

  release(fitted: RemotePipelineModel): Promise<void> {
    if (this.scoring?.fitted === fitted) this.scoring = undefined;
    if (this.reportSeen?.fitted === fitted) this.reportSeen = undefined;
    if (this.fetched?.fitted === fitted) this.fetched = undefined;
    return fitted.release();
  }

  localTable(): undefined {
    return undefined;
  }

  async failure(e: unknown, phase?: string): Promise<unknown> {
    // A lost server ends the run (exit 1), naming the phase it was lost in; there is nothing to release on it.
    if (isServerLost(e)) return e.inPhase(phase);
    if (!this.interrupted) return e;
    await this.releaseAll();
    return new RecpipeError("E_INTERRUPTED", `interrupted; the Spark jobs were stopped and the server-side models released (${(e as Error).message})`, 1);
  }

  async close(): Promise<void> {
    this.unregister();
    await this.releaseAll();
  }

  private uid(): string {
    return pipelineUid(this.s.loaded.spec.seed, this.s.loaded.spec.name);
  }

  /** Released once, whichever comes first: the end of the run, a failure, or Ctrl-C. */
  private releaseAll(): Promise<void> {
    return (this.released ??= (async () => {
      // After a failure or Ctrl-C other requests (parallel trials) may still run: stop them and let them end first,
      // or the server fails to close the session half-way.
      if (this.client.busy) {
        await this.client.interruptAll();
        await this.client.settled(5_000);
      }
      await this.ml.releaseAll().catch(() => undefined);
      // Cached data lives in the cluster's cache, not the session: release it explicitly.
      for (const side of this.cached) await this.client.persist(side, true).catch(() => undefined);
      for (const id of this.checkpoints) await removeCheckpoint(this.client, id).catch(() => undefined);
      await this.client.releaseSession();
      this.client.close();
    })());
  }
}

interface Scoring {
  fitted: RemotePipelineModel;
  evaluators: readonly Evaluator[];
  train: Relation;
  test: Relation;
  onTrain: Promise<Record<string, number>>;
  baselines: Promise<Record<string, Record<string, number>>>;
}

async function splitCounts(ml: SparkMl, train: Relation, test: Relation | undefined): Promise<{ train: number; test: number }> {
  if (!test) {
    const t = await ml.collect(sql("SELECT count(*) AS train FROM {train}", { train }), "counting the rows");
    return { train: Number(t.getChild("train")!.get(0)), test: 0 };
  }
  const t = await ml.collect(
    sql("SELECT (SELECT count(*) FROM {train}) AS train, (SELECT count(*) FROM {test}) AS test", { train, test }),
    "counting the split",
  );
  return { train: Number(t.getChild("train")!.get(0)), test: Number(t.getChild("test")!.get(0)) };
}
