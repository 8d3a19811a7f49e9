import type { Command } from "commander";
import { describeDirectory } from "../../model/describe-model.js";

export function registerInspect(program: Command): void {
  program
    .command("inspect")
    .description("what a model or run directory holds: classes, params, rank, row counts, lineage")
    .argument("<dir>", "model directory or run directory")
    .addHelpText("after", "\nExample:\n  $ recpipe inspect runs/quickstart-20261123-101500")
    .action(async (dir: string) => {
      process.stdout.write((await describeDirectory(dir)) + "\n");
    });
}
