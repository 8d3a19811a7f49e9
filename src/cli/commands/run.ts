import { Option, type Command } from "commander";
import { ALS_KERNEL_SETTINGS, type AlsKernelSetting } from "../../kernels/als-kernel-choice.js";
import { run, type RunResult } from "../../run/run.js";
import { textTable } from "../text-table.js";
import { createProgress } from "../progress.js";
import { ALLOW_PLUGINS_FLAG, ALLOW_PLUGINS_HELP, collect, parsePositiveInt, pluginsAllowed } from "../options.js";
import { printTuneTable } from "../print-tune.js";
import { DEFAULT_REMOTE_TIMEOUT_S, parseRemoteTimeout } from "../../engines/spark-connect/transport/remote-timeout.js";
import { connect, EXPERIMENT_HELP, logRun, reportTrackingFailure, TRACK_HELP, trackingJson, trackingTarget, type TrackingOutcome } from "../tracking.js";
import type { TrackingSession } from "../../tracking/connect.js";
import { readFinishedRun } from "../../tracking/finished-run.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a pipeline file: read, split, fit, evaluate, recommend; writes a run directory")
    .argument("<file>", "pipeline YAML file")
    .option("--set <key=value>", "override a key of the file (value parsed as YAML); repeatable", collect, [])
    .option("--out <dir>", "folder for the run directory (default: the file's output.dir)")
    .option("--workers <n>", "worker threads (default: all cores)", parsePositiveInt)
    .addOption(
      new Option(
        "--kernel <kind>",
        "ALS kernel: portable (default; the same bytes on every machine), fma (fused multiply-add: faster, its last bits depend on the CPU; exit 2 where unavailable), auto (fma where available)",
      ).choices(ALS_KERNEL_SETTINGS),
    )
    .option("--json", "print exactly one JSON object on stdout (runDir, metrics, timingsSeconds, tune)")
    .option("--quiet", "no progress output")
    .option(ALLOW_PLUGINS_FLAG, ALLOW_PLUGINS_HELP)
    .option("--remote <url>", "run on a Spark 4 cluster through Spark Connect: sc://HOST:PORT[/;token=...;use_ssl=true] (default: $SPARK_REMOTE)")
    .option("--remote-model-path <path>", "with --remote: also save the model on the cluster with Spark's own writers (a path the cluster can write)")
    .option(
      "--remote-timeout <seconds>",
      `with --remote: fail (exit 1) when a request hears nothing from the server for this long (default ${DEFAULT_REMOTE_TIMEOUT_S}; 0: no limit)`,
      parseRemoteTimeout,
    )
    .option("--track <uri>", TRACK_HELP)
    .option("--no-track", "do not log to MLflow, whatever MLFLOW_TRACKING_URI or the file say")
    .option("--experiment <name>", EXPERIMENT_HELP)
    .addHelpText("after", "\nExample:\n  $ recpipe run pipelines/quickstart.yaml --set pipeline.als.rank=16 --json")
    .action(
      async (
        file: string,
        o: {
          set: string[];
          out?: string;
          workers?: number;
          kernel?: AlsKernelSetting;
          json?: boolean;
          quiet?: boolean;
          allowPlugins?: boolean;
          remote?: string;
          remoteModelPath?: string;
          remoteTimeout?: number;
          track?: string | boolean;
          experiment?: string;
        },
      ) => {
        const log = o.quiet ? () => undefined : (m: string) => process.stderr.write(`${m}\n`);
        let tracking: TrackingSession | undefined;
        const result = await run(file, {
          set: o.set,
          outDir: o.out,
          workers: o.workers,
          kernel: o.kernel,
          allowPlugins: pluginsAllowed(o),
          progress: createProgress({ quiet: !!o.quiet }),
          log,
          warn: (m) => process.stderr.write(`warning: ${m}\n`),
          // As PySpark: SPARK_REMOTE names the Spark Connect server when --remote is not given.
          remote: o.remote ?? (process.env.SPARK_REMOTE || undefined),
          remoteModelPath: o.remoteModelPath,
          remoteTimeout: o.remoteTimeout,
          // The tracking server is reached before any work: unreachable or refusing is exit 2 with nothing written.
          beforeWork: async (loaded) => {
            const target = trackingTarget(o, loaded.spec.tracking, loaded.file, loaded.spec.name);
            if (target) tracking = await connect(target, log);
          },
        });
        // Tracking reads the finished run directory, so local and --remote runs (and `recpipe log`) log the same.
        const tracked: TrackingOutcome | undefined = tracking ? await logRun(tracking, await readFinishedRun(result.runDir), log) : undefined;
        if (o.json) {
          for (const n of result.notes) process.stderr.write(`note: ${n}\n`);
          process.stdout.write(
            JSON.stringify({
              runDir: result.runDir,
              metrics: result.metrics,
              baselines: result.baselines,
              trainMetrics: result.trainMetrics,
              notes: result.notes,
              timingsSeconds: result.timingsSeconds,
              ...(result.tune ? { tune: result.tune } : {}),
              ...(result.prepare ? { prepare: result.prepare } : {}),
              ...(tracked ? { mlflow: trackingJson(tracked) } : {}),
            }) + "\n",
          );
          if (tracked) reportTrackingFailure(tracked);
          return;
        }
        if (result.tune && !o.quiet) printTuneTable(result.tune, process.stdout);
        process.stdout.write(`run directory: ${result.runDir}\n`);
        process.stdout.write(formatRunMetrics(result));
        if (tracked && "logged" in tracked) process.stdout.write(`mlflow run: ${tracked.logged.url}\n`);
        if (tracked) reportTrackingFailure(tracked);
      },
    );
}

function fmt(x: number | undefined): string {
  if (x === undefined) return "";
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** Test metrics beside the train error and every baseline, then the notes (a model worse than a baseline, ...). */
export function formatRunMetrics(r: Pick<RunResult, "metrics" | "trainMetrics" | "baselines" | "notes">): string {
  const keys = [...new Set([...Object.keys(r.metrics), ...Object.keys(r.trainMetrics)])];
  const baselines = Object.keys(r.baselines);
  const hasTest = Object.keys(r.metrics).length > 0;
  const header = ["metric", ...(hasTest ? ["test"] : []), "train", ...baselines];
  const rows = keys.map((k) => [k, ...(hasTest ? [fmt(r.metrics[k])] : []), fmt(r.trainMetrics[k]), ...baselines.map((b) => fmt(r.baselines[b][k]))]);
  const right = new Set(header.map((_, i) => i).filter((i) => i > 0));
  let out = keys.length ? textTable(header, rows, right).replace(/^/gm, "  ") : "";
  if (baselines.length)
    out +=
      "  (train: the same metric on the training rows; a train error far below the test error is over-fitting; the other columns are baselines on the test set)\n";
  for (const n of r.notes) out += `NOTE: ${n}\n`;
  return out;
}
