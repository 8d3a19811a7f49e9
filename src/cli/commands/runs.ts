import type { Command } from "commander";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../core/errors.js";
import { listRuns } from "../../runs/list-runs.js";
import { verifyRunArtefacts } from "../../runs/verify-run.js";
import { formatListing } from "../runs-table.js";

export function registerRuns(program: Command): void {
  program
    .command("runs")
    .description("list run directories: time, the params that differ between them, every metric and its gain over the best baseline")
    .argument("[dir...]", "folders of run directories, or run directories (default: ./runs and ./*/runs)")
    .option("--sort <metric>", "sort by a metric, best first (default: newest first)")
    .option("--name <glob>", "only runs whose folder name matches, shell-style (* and ?): --name 'movielens*'")
    .option(
      "--columns <list>",
      "comma-separated columns after the run name, in this order: any param key, a metric, '<metric> vs best baseline', 'best.<stage.param>', time, status",
    )
    .option("--verify", "also read every artefact: sha256 against manifest.json, model files against their Hadoop .crc (default: sizes only, fast)")
    .option("--json", "print one JSON object {runs: [...], differingKeys, chosenKeys, metricKeys} for scripts")
    .addHelpText(
      "after",
      "\nExamples:\n  $ recpipe runs pipelines/runs\n  $ recpipe runs pipelines/runs --sort rmse\n  $ recpipe runs pipelines/runs --verify\n  $ recpipe runs pipelines/runs --name 'movielens*' --columns rmse,best.als.regParam,pipeline.als.rank\n  $ recpipe runs runs --json",
    )
    .action(async (dirs: string[], o: { sort?: string; name?: string; columns?: string; json?: boolean; verify?: boolean }) => {
      const where = dirs.length > 0 ? dirs : defaultRunFolders();
      const listing = listRuns(where, { sort: o.sort, name: o.name });
      if (o.verify) listing.runs = await Promise.all(listing.runs.map(async (r) => ({ ...r, ...(await verifyRunArtefacts(r)) })));
      if (o.json) {
        process.stdout.write(JSON.stringify(listing) + "\n");
        return;
      }
      const columns = o.columns
        ?.split(",")
        .map((c) => c.trim())
        .filter((c) => c !== "");
      // A terminal says how wide it is; a pipe or file gets 100 columns, so the output reads the same in a log.
      process.stdout.write(formatListing(listing, { width: process.stdout.isTTY ? process.stdout.columns : 100, columns }));
    });
}

/** Where run directories land by default: a pipeline file's `output.dir` (runs) resolves beside the file. */
function defaultRunFolders(): string[] {
  const found: string[] = [];
  if (existsSync("runs")) found.push("runs");
  for (const e of readdirSync(".", { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules" && existsSync(join(e.name, "runs"))) found.push(join(e.name, "runs"));
  }
  if (found.length === 0)
    throw new InputError(
      "E_ARGS",
      "runs: no ./runs or ./*/runs folder here; give the folder that holds your run directories (the pipeline file's output.dir, resolved from the file's folder)",
    );
  return found;
}
