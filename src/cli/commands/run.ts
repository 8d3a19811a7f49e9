import type { Command } from "commander";
import { run } from "../../pipeline/run.js";
import { createProgress } from "../progress.js";
import { collect, parseWorkers } from "../options.js";
import { printTuneTable } from "../print-tune.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a pipeline file: read, split, fit, evaluate, recommend; writes a run directory")
    .argument("<file>", "pipeline YAML file")
    .option("--set <key=value>", "override a key of the file (value parsed as YAML); repeatable", collect, [])
    .option("--out <dir>", "folder for the run directory (default: the file's output.dir)")
    .option("--workers <n>", "worker threads (default: all cores)", parseWorkers)
    .option("--json", "print exactly one JSON object on stdout (runDir, metrics, timingsSeconds, tune)")
    .option("--quiet", "no progress output")
    .option("--remote <url>", "run on a Spark 4 cluster through Spark Connect: sc://HOST:PORT[/;token=...;use_ssl=true] (default: $SPARK_REMOTE)")
    .option("--remote-model-path <path>", "with --remote: also save the model on the cluster with Spark's own writers (a path the cluster can write)")
    .addHelpText("after", "\nExample:\n  $ recpipe run pipelines/quickstart.yaml --set pipeline.als.rank=16 --json")
    .action(async (file: string, o: { set: string[]; out?: string; workers?: number; json?: boolean; quiet?: boolean; remote?: string; remoteModelPath?: string }) => {
      const log = o.quiet ? () => undefined : (m: string) => process.stderr.write(`${m}\n`);
      const result = await run(file, {
        set: o.set,
        outDir: o.out,
        workers: o.workers,
        progress: createProgress({ quiet: !!o.quiet }),
        log,
        warn: (m) => process.stderr.write(`warning: ${m}\n`),
        // As PySpark: SPARK_REMOTE names the Spark Connect server when --remote is not given.
        remote: o.remote ?? (process.env.SPARK_REMOTE || undefined),
        remoteModelPath: o.remoteModelPath,
      });
      if (o.json) {
        process.stdout.write(JSON.stringify({ runDir: result.runDir, metrics: result.metrics, baselines: result.baselines, timingsSeconds: result.timingsSeconds, ...(result.tune ? { tune: result.tune } : {}) }) + "\n");
        return;
      }
      if (result.tune && !o.quiet) printTuneTable(result.tune, process.stdout);
      const width = Math.max(...Object.keys(result.metrics).map((k) => k.length), 6);
      process.stdout.write(`run directory: ${result.runDir}\n`);
      for (const [k, v] of Object.entries(result.metrics)) {
        const base = Object.entries(result.baselines)
          .filter(([, m]) => k in m)
          .map(([b, m]) => `${b} ${fmt(m[k])}`)
          .join(", ");
        process.stdout.write(`  ${k.padEnd(width)}  ${fmt(v)}${base ? `   (baselines: ${base})` : ""}\n`);
      }
    });
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}
