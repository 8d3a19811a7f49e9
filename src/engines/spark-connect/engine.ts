import { InputError, RecpipeError } from "../../core/errors.js";
import { recommendationsTable, type RecommendationsTable } from "../local/recommend-for-run.js";
import { ident } from "./transport/sql-text.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import { spawnSeed } from "../../core/rng.js";
import { onInterrupt } from "../../core/interrupt-cleanup.js";
import { quietContext, type ProgressSink, type RunContext } from "../../core/run-context.js";
import type { StageRegistry } from "../../core/registry.js";
import { buildEvaluators, buildPipelineStages, buildSplitter } from "../../spec/build-stages.js";
import { loadPipelineFile } from "../../spec/load-pipeline-file.js";
import { recpipeVersion } from "../../run/manifest.js";
import { foldSchema, pipelineUid } from "../../model/pipeline-model.js";
import type { RunOutcome } from "../../run/run-outcome.js";
import { runNotes } from "../../run/run-notes.js";
import { Timings } from "../../run/timings.js";
import { tuningVerdicts } from "../../run/tuning-verdicts.js";
import { searchParamGrid, type TuneResult } from "../../run/tune.js";
import { writeRunDirectory } from "../../run/write-run-directory.js";
import { SparkConnectClient } from "./transport/client.js";
import { fetchPipelineModel } from "./fetch-model.js";
import { SparkMl } from "./transport/ml.js";
import { sample, sql } from "./transport/plan.js";
import { sparkProgress } from "./transport/progress.js";
import { remoteSource } from "./remote-data.js";
import { evaluateRemote, remoteBaselines, remoteTrainMetrics } from "./remote-evaluate.js";
import { fitRemote, type RemotePipelineModel } from "./remote-pipeline.js";
import { recommendRemote } from "./remote-recommend.js";
import { assertRunsRemotely } from "./remote-support.js";
import { remoteTrials } from "./remote-tune.js";
import { parseRemoteUrl } from "./transport/remote-url.js";
import { saveOnCluster } from "./save-on-cluster.js";

export interface RemoteRunOptions {
  /** sc://HOST:PORT[/;token=...;use_ssl=true] */
  remote: string;
  /** Also save the fitted model on the cluster's file system, with Spark's own writers. */
  remoteModelPath?: string;
  set?: string[];
  outDir?: string;
  workers?: number;
  progress?: ProgressSink;
  log?: (message: string) => void;
  warn?: (message: string) => void;
  registry?: StageRegistry;
  now?: Date;
}

/**
 * Runs a pipeline file on a Spark cluster through Spark Connect, in the same phases as the local engine: read, split,
 * (tune,) fit on train, evaluate on test, baselines, recommend, then the same run directory. Spark does the data work;
 * what comes back is metrics, the fitted factors and labels (for the Spark-layout model/), and recommendations.
 * Server-side models are released at the end, after a failure, and on Ctrl-C.
 */
export async function runOnSparkConnect(file: string, opts: RemoteRunOptions) {
  const timings = new Timings();
  const loaded = await loadPipelineFile(file, { set: opts.set, registry: opts.registry });
  const { spec, registry } = loaded;
  // Everything the cluster cannot do is refused before connecting: no cluster work is wasted on a doomed run.
  assertRunsRemotely(loaded.file, spec, registry);
  const url = parseRemoteUrl(opts.remote);
  const base = quietContext({ workers: Math.max(1, opts.workers ?? 1), ...(opts.progress ? { progress: opts.progress } : {}), log: opts.log ?? (() => undefined), warn: opts.warn ?? (() => undefined) });
  const ctxFor = (name: string): RunContext => ({ ...base, seed: spawnSeed(spec.seed, name) });
  const stages = buildPipelineStages(registry, spec.pipeline, spec.seed);
  const evaluators = buildEvaluators(registry, spec.evaluate, spec.seed);
  const splitter = buildSplitter(registry, spec.split, spec.seed);

  const client = await SparkConnectClient.connect(url, `recpipe/${recpipeVersion()}`);
  base.log(`connected to Spark ${client.sparkVersion} at ${url.display} (session ${client.sessionId})`);
  const ml = new SparkMl(client, sparkProgress(base.progress));
  const cached: Relation[] = [];
  // Released once, whichever comes first: the end of the run, a failure, or Ctrl-C (the CLI's signal handler runs
  // the interrupt cleanup below before it exits, so the cluster does not keep this run's models and cached data).
  let released: Promise<void> | undefined;
  const release = () =>
    (released ??= (async () => {
      // After a failure or Ctrl-C other requests (parallel trials) may still run: stop them and let them end first,
      // or the server fails to close the session half-way.
      if (client.busy) {
        await client.interruptAll();
        await client.settled(5_000);
      }
      await ml.releaseAll().catch(() => undefined);
      // Cached data lives in the cluster's cache, not the session: release it explicitly.
      for (const side of cached) await client.persist(side, true).catch(() => undefined);
      await client.releaseSession();
      client.close();
    })());
  let interrupted = false;
  const unregister = onInterrupt(`stopping the Spark jobs and releasing the server-side models and cached data at ${url.display}`, async () => {
    interrupted = true;
    await release();
  });
  try {
    const data = await timings.time("read", () => remoteSource(ml, spec.source, loaded.baseDir, spec.seed, base.progress));
    base.log(`data on the cluster: ${data.rows.toLocaleString("en-US")} rows`);
    // With the rows at hand, every column and type is checked before any fit, as locally (Spark's transformSchema).
    if (data.table) foldSchema(stages, data.table.schema);

    // split: none trains on every row (no test set); random-split is Spark's randomSplit (Sample relations).
    let train = data.relation;
    let test: Relation | undefined;
    if (splitter.type === "random-split") {
      const weights = splitter.params.weights as number[];
      const cut = weights[0] / (weights[0] + weights[1]);
      const splitSeed = (splitter.params.seed as number | undefined) ?? ctxFor(`split:${splitter.name}`).seed;
      train = sample(data.relation, 0, cut, splitSeed);
      test = sample(data.relation, cut, 1, splitSeed);
    }
    for (const side of test ? [train, test] : [train]) {
      await client.persist(side);
      cached.push(side);
    }
    const rows = await timings.time("split", () => splitCounts(ml, train, test));
    base.log(`split: ${rows.train.toLocaleString("en-US")} train, ${rows.test.toLocaleString("en-US")} test rows`);
    if (rows.train === 0) {
      throw new InputError("E_DATA", `split (${splitter.type}): no training rows: ${data.rows} rows split into 0 train and ${rows.test} test (params ${JSON.stringify(splitter.params)}); give the train side a positive weight`);
    }
    const tested = test !== undefined && rows.test > 0;

    let toFit = stages;
    let tune: TuneResult | undefined;
    if (spec.tune) {
      tune = await timings.time("tune", () => searchParamGrid(loaded, stages, ctxFor, remoteTrials(ml, registry, train)));
      toFit = tune.bestStages;
    }
    const uid = pipelineUid(spec.seed, spec.name);
    // tune.refit: all: the test metrics score the best params fitted on train; the saved model is refitted on every row.
    const refitAll = spec.tune?.params.refit === "all" && tested;
    const fitted = await timings.time("fit", () => fitRemote(ml, registry, toFit, train, spec.seed, ""));
    // Fetched at once: a server short of driver memory may evict cached models (Spark's MLCacheInvalidException).
    let model = refitAll ? undefined : await timings.time("fetch", () => fetchPipelineModel(fitted, registry, uid));
    const metrics: Record<string, number> = {};
    if (tested) {
      await timings.time("evaluate", async () => {
        for (const ev of evaluators) metrics[ev.metricKey] = await evaluateRemote(ml, registry, fitted, ev, train, test!, spec.seed, `evaluating ${ev.metricKey}`);
      });
    }
    const onTrain = await timings.time("evaluate", () => remoteTrainMetrics(ml, registry, fitted, evaluators, train, spec.seed));
    const baselines = tested ? await timings.time("baselines", () => remoteBaselines(ml, registry, fitted, evaluators, train, test!, spec.seed)) : {};
    let final = fitted;
    if (refitAll) {
      await fitted.release();
      final = await timings.time("refit", () => fitRemote(ml, registry, toFit, data.relation, spec.seed, "on every row"));
      model = await timings.time("fetch", () => fetchPipelineModel(final, registry, uid));
    }
    const seen = refitAll ? data.relation : train;
    const rec = model!.recommender();
    const recommendations = spec.recommend && rec ? await timings.time("recommend", () => recommendRemote(ml, final, model!, spec.recommend!, seen, base.warn)) : undefined;
    const reportRecommendations = !recommendations?.table && rec ? await reportSample(ml, final, model!, seen) : undefined;
    if (opts.remoteModelPath) await timings.time("save-on-cluster", () => saveOnCluster(final, opts.remoteModelPath!, uid, client.sparkVersion));
    await final.release();
    const notes = runNotes({
      modelName: rec?.type ?? model!.stages.at(-1)?.type ?? "the model",
      testRows: rows.test,
      splitType: splitter.type,
      metrics,
      baselines,
      largerIsBetter: Object.fromEntries(evaluators.map((e) => [e.metricKey, e.isLargerBetter])),
      refitAllRows: refitAll ? data.rows : undefined,
      tuningEdges: tune ? tuningVerdicts(tune.summary).edges.map((e) => e.message) : [],
    });

    const outcome: RunOutcome = {
      loaded,
      input: data.input,
      data: data.table,
      rows: { data: data.rows, train: refitAll ? data.rows : rows.train, test: rows.test },
      engine: { name: "spark-connect", sparkVersion: client.sparkVersion, remote: url.display },
      model: model!,
      stages: toFit,
      metrics,
      trainMetrics: onTrain,
      notes,
      baselines,
      tune,
      recommendations,
      reportRecommendations,
      timings,
      workers: base.workers,
    };
    const runDir = await timings.time("write", () => writeRunDirectory(outcome, { outDir: opts.outDir, now: opts.now ?? new Date() }));
    return { runDir, metrics, baselines, trainMetrics: onTrain, notes, timingsSeconds: timings.seconds, tune: tune?.summary };
  } catch (e) {
    if (interrupted) {
      await release();
      throw new RecpipeError("E_INTERRUPTED", `interrupted; the Spark jobs were stopped and the server-side models released (${(e as Error).message})`, 1);
    }
    throw e;
  } finally {
    unregister();
    await release();
  }
}

/**
 * report.html shows a few users' recommendations even without a recommend block: the fetched-back model scores the
 * first five users it knows here, excluding what they rated in training (only those users' rows are fetched).
 */
async function reportSample(ml: SparkMl, remote: RemotePipelineModel, model: PipelineModel, train: Relation): Promise<RecommendationsTable> {
  const rec = model.recommender()!;
  const users = rec.knownUsers().subarray(0, 5);
  const r = remote.recommenderIndex();
  const u = ident(rec.userCol), i = ident(rec.itemCol);
  const seen = await ml.collect(sql(`SELECT CAST(${u} AS INT) AS u, CAST(${i} AS INT) AS i FROM {train} WHERE CAST(${u} AS INT) IN (${Array.from(users).join(", ") || "NULL"})`, { train: remote.transform(train, r) }), "fetching a few users' training items");
  const exclude = { users: Int32Array.from(seen.getChild("u")!.toArray() as Int32Array), items: Int32Array.from(seen.getChild("i")!.toArray() as Int32Array) };
  const lists = await rec.recommendForUsers(Int32Array.from(users), 5, quietContext(), exclude);
  return recommendationsTable(model, { users: lists }, { users: users.length, items: 0 }, 5);
}

async function splitCounts(ml: SparkMl, train: Relation, test: Relation | undefined): Promise<{ train: number; test: number }> {
  if (!test) {
    const t = await ml.collect(sql("SELECT count(*) AS train FROM {train}", { train }), "counting the rows");
    return { train: Number(t.getChild("train")!.get(0)), test: 0 };
  }
  const t = await ml.collect(sql("SELECT (SELECT count(*) FROM {train}) AS train, (SELECT count(*) FROM {test}) AS test", { train, test }), "counting the split");
  return { train: Number(t.getChild("train")!.get(0)), test: Number(t.getChild("test")!.get(0)) };
}
