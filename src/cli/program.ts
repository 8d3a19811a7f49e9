import { Command, CommanderError } from "commander";
import { recpipeVersion } from "../run/manifest.js";
import { registerCompare } from "./commands/compare.js";
import { registerDatasets } from "./commands/datasets.js";
import { registerExplain } from "./commands/explain.js";
import { registerInspect } from "./commands/inspect.js";
import { registerLog } from "./commands/log.js";
import { registerPredict } from "./commands/predict.js";
import { registerRecommend } from "./commands/recommend.js";
import { registerReproduce } from "./commands/reproduce.js";
import { registerRun } from "./commands/run.js";
import { registerRuns } from "./commands/runs.js";
import { registerSchema } from "./commands/schema.js";
import { registerValidate } from "./commands/validate.js";
import { reportError } from "./fail.js";
import { interruptInProgress } from "../core/interrupt-cleanup.js";
import { cleanUpOnSignals } from "./interrupt.js";
import { adoptParentTerminal, exitWithParent } from "./supervise.js";

/** The CLI proper, run inside the supervised child process (see main.ts). */
adoptParentTerminal();
exitWithParent();
cleanUpOnSignals();
// `recpipe schema | head`: the reader closing the pipe early is a normal end for a command-line tool, not a crash.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(0);
});

const program = new Command()
  .name("recpipe")
  .description("Spark-ML-style recommender pipelines declared in YAML: fit, tune, evaluate and recommend on all cores, with Spark-compatible models.")
  .version(recpipeVersion())
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride()
  .addHelpText(
    "after",
    `
Examples:
  $ recpipe run pipelines/quickstart.yaml
  $ recpipe run pipelines/movielens-100k.yaml --set pipeline.als.rank=16 --workers 2 --json
  $ recpipe run pipelines/movielens-100k.yaml --track http://127.0.0.1:5000 --experiment movielens
  $ recpipe runs pipelines/runs --sort rmse
  $ recpipe compare pipelines/runs/quickstart-20261123-101500 pipelines/runs/quickstart-20261123-102200
  $ recpipe explain als
  $ recpipe recommend --model runs/quickstart-20261123-101500/model --user u17 -k 10`,
  );

for (const register of [
  registerRun,
  registerValidate,
  registerExplain,
  registerSchema,
  registerRecommend,
  registerPredict,
  registerInspect,
  registerReproduce,
  registerRuns,
  registerCompare,
  registerLog,
  registerDatasets,
]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version exit 0; a usage error (unknown option, missing argument) is invalid input.
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (interruptInProgress()) {
    // Ctrl-C stopped the work: the signal handler already said so once and exits when the release is done.
    process.exitCode = 1;
  } else {
    process.exitCode = reportError(e);
  }
}
