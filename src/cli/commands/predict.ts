import type { Command } from "commander";
import { availableParallelism } from "node:os";
import { quietContext } from "../../core/run-context.js";
import { readTable } from "../../io/read-table.js";
import { writeTable } from "../../io/write-table.js";
import { loadModel } from "../../model/load-model.js";
import { applyModelSetters } from "../../model/model-setters.js";
import { collect } from "../options.js";
import { tableToCsv } from "../../io/write-table.js";

export function registerPredict(program: Command): void {
  program
    .command("predict")
    .description("apply a saved model (recpipe's or Spark's) to a data file: adds the prediction column")
    .requiredOption("--model <dir>", "model directory")
    .requiredOption("--input <file>", "data file (csv, tsv, jsonl, parquet, arrow) with the columns the model reads")
    .option("--out <file>", "output file (format from the extension); default: csv on stdout")
    .option(
      "--set <param=value>",
      "set a fitted model's param at use, as Spark's model setters do (coldStartStrategy, userCol, itemCol, predictionCol); repeatable",
      collect,
      [],
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ recpipe predict --model runs/quickstart-20261123-101500/model --input pairs.csv --out scored.parquet\n  $ recpipe predict --model runs/x/model --input pairs.csv --set coldStartStrategy=nan --set userCol=customer",
    )
    .action(async (o: { model: string; input: string; out?: string; set: string[] }) => {
      const loaded = await loadModel(o.model);
      const model = applyModelSetters(loaded.model, o.set);
      const input = await readTable(o.input, {});
      model.transformSchema(input.schema);
      const out = await model.transform(input, quietContext({ workers: availableParallelism(), warn: (m) => process.stderr.write(`warning: ${m}\n`) }));
      if (o.out) await writeTable(out, o.out);
      else process.stdout.write(tableToCsv(out));
    });
}
