import type { Command } from "commander";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../core/errors.js";
import { listRuns, type RunListing } from "../../runs/list-runs.js";
import { formatGain, formatMetric, formatParam, formatTime } from "../format-run-values.js";
import { textTable } from "../text-table.js";

export function registerRuns(program: Command): void {
  program
    .command("runs")
    .description("list run directories: time, the params that differ between them, every metric and its gain over the best baseline")
    .argument("[dir...]", "folders of run directories, or run directories (default: ./runs and ./*/runs)")
    .option("--sort <metric>", "sort by a metric, best first (default: newest first)")
    .option("--json", "print one JSON object {runs: [...], differingKeys, metricKeys} for scripts")
    .addHelpText("after", "\nExamples:\n  $ recpipe runs pipelines/runs\n  $ recpipe runs pipelines/runs --sort rmse\n  $ recpipe runs runs --json")
    .action((dirs: string[], o: { sort?: string; json?: boolean }) => {
      const where = dirs.length > 0 ? dirs : defaultRunFolders();
      const listing = listRuns(where, { sort: o.sort });
      if (o.json) {
        process.stdout.write(JSON.stringify(listing) + "\n");
        return;
      }
      process.stdout.write(formatListing(listing));
    });
}

/** Where run directories land by default: a pipeline file's `output.dir` (runs) resolves beside the file. */
function defaultRunFolders(): string[] {
  const found: string[] = [];
  if (existsSync("runs")) found.push("runs");
  for (const e of readdirSync(".", { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules" && existsSync(join(e.name, "runs"))) found.push(join(e.name, "runs"));
  }
  if (found.length === 0) throw new InputError("E_ARGS", "runs: no ./runs or ./*/runs folder here; give the folder that holds your run directories (the pipeline file's output.dir, resolved from the file's folder)");
  return found;
}

export function formatListing(l: RunListing): string {
  if (l.runs.length === 0) return "no run directories found\n";
  const header = ["run", "time", "status", ...l.differingKeys, ...l.metricKeys.flatMap((m) => [m, "vs best baseline"])];
  const right = new Set<number>();
  l.metricKeys.forEach((_, i) => {
    right.add(3 + l.differingKeys.length + 2 * i);
    right.add(4 + l.differingKeys.length + 2 * i);
  });
  const rows = l.runs.map((r) => [
    r.run,
    formatTime(r.createdAt),
    r.status,
    ...l.differingKeys.map((k) => formatParam(r.params[k])),
    ...l.metricKeys.flatMap((m) => [formatMetric(r.metrics[m]), r.gains[m] ? `${formatGain(r.gains[m].gain)} ${r.gains[m].baseline}` : ""]),
  ]);
  let out = textTable(header, rows, right);
  const notes = l.runs.filter((r) => r.problem).map((r) => `  ${r.run}: ${r.status}: ${r.problem}`);
  if (notes.length) out += `\n${notes.join("\n")}\n`;
  if (l.differingKeys.length === 0 && l.runs.length > 1) out += "\n(the listed runs share every param)\n";
  return out;
}
