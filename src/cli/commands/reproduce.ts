import type { Command } from "commander";
import { reproduce } from "../../runs/reproduce.js";
import { createProgress } from "../progress.js";
import { ALLOW_PLUGINS_FLAG, ALLOW_PLUGINS_HELP, parsePositiveInt, pluginsAllowed } from "../options.js";

export function registerReproduce(program: Command): void {
  program
    .command("reproduce")
    .description("re-run a run directory's resolved pipeline and verify every artefact hash (exit 1 on any difference)")
    .argument("<run-dir>", "a run directory (holds manifest.json)")
    .option("--workers <n>", "worker threads (default: the recorded count; any count must give the same bytes)", parsePositiveInt)
    .option("--quiet", "no progress output")
    .option(ALLOW_PLUGINS_FLAG, ALLOW_PLUGINS_HELP)
    .addHelpText("after", "\nExample:\n  $ recpipe reproduce runs/quickstart-20261123-101500 --workers 1")
    .action(async (dir: string, o: { workers?: number; quiet?: boolean; allowPlugins?: boolean }) => {
      const r = await reproduce(dir, { workers: o.workers, progress: createProgress({ quiet: !!o.quiet }), allowPlugins: pluginsAllowed(o) });
      for (const p of r.identical) process.stdout.write(`same       ${p}\n`);
      for (const p of r.skipped) process.stdout.write(`skipped    ${p}\n`);
      for (const p of r.unverified) process.stdout.write(`UNVERIFIED ${p}\n`);
      for (const d of r.differences) process.stdout.write(`DIFFERENT  ${d}\n`);
      if (r.differences.length) {
        process.stdout.write(`not reproduced: ${r.differences.length} difference(s)\n`);
        process.exitCode = 1;
      } else
        process.stdout.write(
          `reproduced: ${r.identical.length} artefacts identical${r.unverified.length ? `; ${r.unverified.length} input(s) could not be verified (see UNVERIFIED above)` : ""}\n`,
        );
    });
}
