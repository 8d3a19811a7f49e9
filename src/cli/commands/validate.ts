import type { Command } from "commander";
import { validatePipeline } from "../../run/validate-pipeline.js";
import { ALLOW_PLUGINS_FLAG, ALLOW_PLUGINS_HELP, collect, pluginsAllowed } from "../options.js";
import { describeType } from "../../core/table.js";
import { gb } from "../../engines/local/memory-estimate.js";
import { DEFAULT_REMOTE_TIMEOUT_S, parseRemoteTimeout } from "../../engines/spark-connect/transport/remote-timeout.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("parse the pipeline file, check its schema, stages and columns; computes nothing")
    .argument("<file>", "pipeline YAML file")
    .option("--set <key=value>", "override a key of the file; repeatable", collect, [])
    .option(ALLOW_PLUGINS_FLAG, ALLOW_PLUGINS_HELP)
    .option("--remote <url>", "also check the file against the Spark Connect engine and contact the server (default: $SPARK_REMOTE)")
    .option(
      "--remote-timeout <seconds>",
      `with --remote: fail (exit 1) when the server answers nothing for this long (default ${DEFAULT_REMOTE_TIMEOUT_S}; 0: no limit)`,
      parseRemoteTimeout,
    )
    .addHelpText("after", "\nExample:\n  $ recpipe validate pipelines/movielens-100k.yaml --set pipeline.als.rank=0   # exit 2, names the key")
    .action(async (file: string, o: { set: string[]; allowPlugins?: boolean; remote?: string; remoteTimeout?: number }) => {
      const v = await validatePipeline(file, {
        set: o.set,
        allowPlugins: pluginsAllowed(o),
        remote: o.remote ?? (process.env.SPARK_REMOTE || undefined),
        remoteTimeout: o.remoteTimeout,
      });
      const s = v.loaded.spec;
      process.stdout.write(`${v.loaded.file}: ok\n`);
      process.stdout.write(`  pipeline: ${s.pipeline.map((p) => (p.name === p.type ? p.type : `${p.name} (${p.type})`)).join(" -> ")}\n`);
      if (v.inputSchema) process.stdout.write(`  input columns: ${v.inputSchema.fields.map((f) => `${f.name}: ${describeType(f.type)}`).join(", ")}\n`);
      else process.stdout.write(`  input columns: read by the cluster (not checked here)\n`);
      if (v.outputSchema) process.stdout.write(`  output columns: ${v.outputSchema.fields.map((f) => f.name).join(", ")}\n`);
      if (v.remote) process.stdout.write(`  remote: Spark ${v.remote.sparkVersion} at ${v.remote.url}; every stage runs on Spark Connect\n`);
      process.stdout.write(
        `  evaluate: ${s.evaluate.map((e) => e.type).join(", ")}${s.tune ? `; tune: ${s.tune.type} over ${s.tune.grid.reduce((n, g) => n * g.values.length, 1)} param maps` : ""}\n`,
      );
      if (v.memory)
        process.stdout.write(`  memory: about ${gb(v.memory.bytes)} for ${v.memory.rows.toLocaleString("en-US")} ratings (from ${v.memory.rowsFrom})\n`);
    });
}
