import type { Command } from "commander";
import { InputError } from "../../core/errors.js";
import { displayPath } from "../../io/display-path.js";
import { readFinishedRun } from "../../tracking/finished-run.js";
import { connect, EXPERIMENT_HELP, logRun, reportTrackingFailure, trackingJson, trackingTarget } from "../tracking.js";

/** `recpipe log RUN-DIR`: a finished run made offline, or while the server was down, logged to MLflow afterwards. */
export function registerLog(program: Command): void {
  program
    .command("log")
    .description("log a finished run directory to an MLflow tracking server (params, metrics, artifacts, the model as an MLflow spark model)")
    .argument("<run-dir>", "a run directory that `recpipe run` wrote")
    .option("--track <uri>", "MLflow tracking server, http(s)://HOST:PORT (default: $MLFLOW_TRACKING_URI, then tracking.mlflow in the run's pipeline.yaml)")
    .option("--experiment <name>", EXPERIMENT_HELP)
    .option("--json", "print exactly one JSON object on stdout: {runDir, mlflow: {runId, experimentId, url, status}}")
    .option("--quiet", "no progress output")
    .addHelpText("after", "\nExample:\n  $ recpipe log runs/quickstart-20261206-101500 --track http://127.0.0.1:5000 --experiment quickstart")
    .action(async (dir: string, o: { track?: string; experiment?: string; json?: boolean; quiet?: boolean }) => {
      const log = o.quiet ? () => undefined : (m: string) => process.stderr.write(`${m}\n`);
      // The run is checked first: a damaged run is refused without contacting the server.
      const run = await readFinishedRun(dir);
      const file = run.pipeline.tracking as { mlflow?: string; experiment?: string } | undefined;
      const name = typeof run.pipeline.name === "string" ? run.pipeline.name : run.name;
      const target = trackingTarget(o, file, `${displayPath(run.dir)}/pipeline.yaml`, name);
      if (!target)
        throw new InputError(
          "E_ARGS",
          `log ${displayPath(run.dir)}: no MLflow tracking server given; pass --track http://HOST:PORT or set MLFLOW_TRACKING_URI`,
        );
      const session = await connect(target, log);
      const outcome = await logRun(session, run, log);
      if (o.json) process.stdout.write(JSON.stringify({ runDir: run.dir, mlflow: trackingJson(outcome) }) + "\n");
      else if ("logged" in outcome) process.stdout.write(`mlflow run: ${outcome.logged.url}\n`);
      reportTrackingFailure(outcome);
    });
}
