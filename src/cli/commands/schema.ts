import type { Command } from "commander";
import { createRegistry } from "../../../stages/index.js";
import { pipelineJsonSchema } from "../../docs/pipeline-json-schema.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of the pipeline file (for editors: yaml-language-server)")
    .addHelpText("after", "\nExample:\n  $ recpipe schema > recpipe.schema.json")
    .action(() => {
      process.stdout.write(JSON.stringify(pipelineJsonSchema(createRegistry()), null, 2) + "\n");
    });
}
