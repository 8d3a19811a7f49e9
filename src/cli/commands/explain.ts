import type { Command } from "commander";
import { createRegistry } from "../../../stages/index.js";
import { explainStage } from "../../docs/param-docs.js";

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("every stage, or one stage's params: type, default, allowed values, doc (like Spark's explainParams)")
    .argument("[stage-type]", "a stage type, e.g. als")
    .addHelpText("after", "\nExamples:\n  $ recpipe explain\n  $ recpipe explain als")
    .action((type?: string) => {
      const registry = createRegistry();
      if (type) {
        process.stdout.write(explainStage(registry.get(type, undefined, "recpipe explain")) + "\n");
        return;
      }
      for (const role of ["estimator", "transformer", "split", "evaluator", "tuner"] as const) {
        const defs = registry.list([role]);
        if (!defs.length) continue;
        process.stdout.write(`${role}s:\n`);
        for (const d of defs) process.stdout.write(`  ${d.type.padEnd(24)} ${d.doc.split(". ")[0].replace(/\.$/, "")}.\n`);
      }
      process.stdout.write("\nrecpipe explain <type> shows a stage's params.\n");
    });
}
