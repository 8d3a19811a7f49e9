import type { Table } from "apache-arrow";
import type { ReportData } from "../report/report-data.js";
import { renderReport } from "../report/render-report.js";
import { recpipeVersion } from "./manifest.js";
import { IdLabels } from "../model/id-labels.js";
import { ratingHistogram } from "./rating-histogram.js";
import { recommendForRun } from "../engines/local/recommend-for-run.js";
import { joinIntoTables } from "../engines/local/join-item-attributes.js";
import { tuningVerdicts } from "./tuning-verdicts.js";
import type { RunOutcome } from "./run-outcome.js";
import { quietContext } from "../core/run-context.js";
import { distinctCount } from "./distinct-count.js";

/** report.html for a run: turns what the run computed into the report's plain data. */
export async function renderRunReport(o: RunOutcome, pipelineYaml: string, now: Date): Promise<string> {
  return renderReport(await reportData(o, pipelineYaml, now));
}

async function reportData(o: RunOutcome, pipelineYaml: string, now: Date): Promise<ReportData> {
  const rec = o.model.recommender();
  const labelCol = o.loaded.spec.evaluate.map((e) => e.params.labelCol).find((x): x is string => typeof x === "string") ?? "rating";
  const data: ReportData["data"] = { rows: o.rows.data, trainRows: o.rows.train, testRows: o.rows.test };
  if (rec) {
    // Every user and item of the data, as the data names them: the model knows only those with a training rating
    // (1,428 of 1,429 users once one user's ratings all went to test). A remote run holds no rows here.
    const all = (col: string) => {
      const source = new IdLabels(o.model, col).sourceColumn;
      const v = o.data?.getChild(source);
      return v ? distinctCount(v, source, "report") : undefined;
    };
    data.users = all(rec.userCol) ?? rec.knownUsers().length;
    data.items = all(rec.itemCol) ?? rec.knownItems().length;
    if (data.users > 0 && data.items > 0) data.sparsity = Math.max(0, 1 - o.rows.data / (data.users * data.items));
  }
  // A remote run keeps its rows on the cluster: no histogram then.
  if (o.data) data.ratingHistogram = ratingHistogram(o.data, labelCol);
  const metrics: ReportData["metrics"] = [];
  const modelName = rec?.type ?? o.model.stages.at(-1)?.type ?? "model";
  for (const [name, value] of Object.entries(o.metrics)) metrics.push({ name, value, model: modelName });
  for (const [baseline, ms] of Object.entries(o.baselines)) for (const [name, value] of Object.entries(ms)) metrics.push({ name, value, model: baseline });
  const lossHistory = o.model.stages.flatMap((s) =>
    "trainingHistory" in s && s.trainingHistory ? s.trainingHistory.map((value, i) => ({ model: s.name, iteration: i + 1, value })) : [],
  );
  const out: ReportData = {
    name: o.loaded.spec.name,
    createdAt: now.toISOString(),
    recpipeVersion: recpipeVersion(),
    pipelineYaml,
    data,
    notes: o.notes,
    ...(o.prepare && o.prepare.length > 1 ? { prepare: o.prepare } : {}),
    metrics,
    trainMetrics: o.trainMetrics,
    lossHistory: lossHistory.length ? lossHistory : undefined,
    timingsSeconds: o.timings.seconds,
  };
  if (o.tune) {
    const verdicts = tuningVerdicts(o.tune.summary);
    const close = new Set(verdicts.indistinguishable);
    out.tuning = {
      metricName: o.tune.summary.metric,
      isLargerBetter: o.tune.summary.isLargerBetter,
      paramNames: o.tune.maps[0]?.entries.map((e) => `${e.stage}.${e.param}`) ?? [],
      rows: o.tune.trials.map((t) => ({
        params: Object.fromEntries(t.params.entries.map((e) => [`${e.stage}.${e.param}`, e.value as number | string | boolean])),
        foldMetrics: t.foldMetrics,
        mean: t.mean,
        std: t.std,
        rank: t.rank,
        closeToBest: close.has(t.index),
      })),
      baselines: Object.entries(o.tune.summary.baselines ?? {}).map(([name, b]) => ({ name, ...b })),
      edges: verdicts.edges.map((e) => e.message),
    };
  }
  if (rec) {
    // Without a recommend block, score only the first few users: the report shows five.
    const firstUsers = Array.from(rec.knownUsers().subarray(0, 5), (u) => new IdLabels(o.model, rec.userCol).original(u));
    // A remote run brings back a few users' lists (reportRecommendations): it holds no training rows here.
    const given = o.recommendations?.table ? o.recommendations : o.reportRecommendations;
    const sample =
      given?.table ??
      (o.train
        ? (
            await recommendForRun(
              o.model,
              { k: 5, users: firstUsers.length ? firstUsers : "all", excludeSeen: true },
              o.train,
              quietContext({ workers: o.workers }),
            )
          ).table
        : undefined);
    if (sample) {
      // A sample computed here has no item attributes yet: join them as recommendations.parquet has them.
      const withTitles =
        o.itemAttributes && sample.schema.fields.length <= 4 ? joinIntoTables({ table: sample, users: 0, items: 0, k: 0 }, o.itemAttributes).table! : sample;
      out.recommendations = sampleRecommendations(withTitles, 5);
      out.recommendationsTotalUsers = o.recommendations?.table ? o.recommendations.users : rec.knownUsers().length;
      out.recommendationsK = o.recommendations?.table ? o.recommendations.k : 5;
    }
  }
  return out;
}

function sampleRecommendations(t: Table, users: number): NonNullable<ReportData["recommendations"]> {
  const [userField, , itemField] = t.schema.fields;
  const u = t.getChild(userField.name)!,
    it = t.getChild(itemField.name)!,
    r = t.getChild("rating")!;
  const attrs = t.schema.fields.slice(4).map((f) => t.getChild(f.name)!);
  const out: NonNullable<ReportData["recommendations"]> = [];
  for (let i = 0; i < t.numRows; i++) {
    const user = String(u.get(i));
    if (out.at(-1)?.user !== user) {
      if (out.length === users) break;
      out.push({ user, items: [] });
    }
    // Item attributes (`items:` titles) follow the rating column; shown beside the id.
    const label = attrs
      .map((a) => a.get(i) as unknown)
      .filter((v) => v !== null && v !== undefined)
      .map(String)
      .join(" · ");
    out.at(-1)!.items.push({ item: String(it.get(i)), score: Number(r.get(i)), ...(label ? { label } : {}) });
  }
  return out;
}
