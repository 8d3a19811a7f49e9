import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Table } from "apache-arrow";
import { parse } from "yaml";
import { InputError } from "../core/errors.js";
import { createRegistry } from "../../stages/index.js";
import { decodeMetadata } from "../io/model-metadata.js";
import { listFilesRecursive } from "../io/atomic-dir.js";
import { readTable } from "../io/read-table.js";
import { displayPath } from "../io/display-path.js";
import type { Manifest } from "../run/manifest.js";
import { readRunSummary } from "../runs/run-summary.js";

/** What a finished run directory holds that tracking logs, read from its files alone (so any engine's run logs the same). */
export interface FinishedRun {
  dir: string;
  /** The run directory's name: the MLflow run's name. */
  name: string;
  pipeline: Record<string, unknown>;
  manifest: Manifest;
  metricsFile: Record<string, unknown>;
  /** tuning.parquet, for a tuned run. */
  tuning?: Table;
  /** Every file, '/'-separated, relative to the run directory. */
  files: string[];
  /** The Spark PipelineModel folder inside the run directory that becomes the MLflow model's sparkml/ (relative). */
  pipelineModelDir?: string;
  /** Class of model/ (PipelineModel, CrossValidatorModel, ...). */
  modelClass?: string;
  /** Spark version the PipelineModel's metadata claims. */
  modelSparkVersion?: string;
}

const PIPELINE_MODEL = "org.apache.spark.ml.PipelineModel";
const TUNED_MODELS = new Set(["org.apache.spark.ml.tuning.CrossValidatorModel", "org.apache.spark.ml.tuning.TrainValidationSplitModel"]);

/**
 * Reads a run directory for logging. A damaged or unfinished run (the same checks as `recpipe runs`) is exit 2:
 * logging half a run, or a run whose files do not match its manifest, would put a wrong record in MLflow.
 */
export async function readFinishedRun(dir: string): Promise<FinishedRun> {
  const abs = resolve(dir);
  const shown = displayPath(abs);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new InputError("E_FILE", `${shown}: no such run directory; give a folder that \`recpipe run\` wrote (runs/<name>-<timestamp>)`);
  if (!existsSync(join(abs, "manifest.json")) && !existsSync(join(abs, "metrics.json")) && !existsSync(join(abs, "pipeline.yaml"))) {
    throw new InputError("E_FILE", `${shown}: not a run directory (no manifest.json, metrics.json or pipeline.yaml); give a folder that \`recpipe run\` wrote`);
  }
  const summary = readRunSummary(abs, createRegistry());
  if (summary.status !== "complete") {
    throw new InputError(
      "E_FILE",
      `${shown}: the run is ${summary.status} (${summary.problem}); only a complete run is logged to MLflow (\`recpipe runs ${shown}\` shows its state)`,
    );
  }
  const pipeline = parse(readFileSync(join(abs, "pipeline.yaml"), "utf8"), { schema: "core" }) as Record<string, unknown>;
  const manifest = JSON.parse(readFileSync(join(abs, "manifest.json"), "utf8")) as Manifest;
  const metricsFile = existsSync(join(abs, "metrics.json")) ? (JSON.parse(readFileSync(join(abs, "metrics.json"), "utf8")) as Record<string, unknown>) : {};
  const tuning = existsSync(join(abs, "tuning.parquet")) ? await readTable(join(abs, "tuning.parquet"), { format: "parquet" }) : undefined;
  const out: FinishedRun = { dir: abs, name: basename(abs), pipeline, manifest, metricsFile, tuning, files: await listFilesRecursive(abs) };
  const model = modelClassOf(join(abs, "model"));
  if (model) {
    out.modelClass = model.className;
    if (model.className === PIPELINE_MODEL) {
      out.pipelineModelDir = "model";
      out.modelSparkVersion = model.sparkVersion;
    } else if (TUNED_MODELS.has(model.className)) {
      // mlflow.spark.load_model loads a PipelineModel: the tuned model's best pipeline is the MLflow model.
      const best = modelClassOf(join(abs, "model", "bestModel"));
      if (best?.className === PIPELINE_MODEL) {
        out.pipelineModelDir = "model/bestModel";
        out.modelSparkVersion = best.sparkVersion;
      }
    }
  }
  return out;
}

function modelClassOf(dir: string): { className: string; sparkVersion?: string } | undefined {
  const meta = join(dir, "metadata");
  if (!existsSync(meta)) return undefined;
  const part = readdirSync(meta)
    .filter((f) => f.startsWith("part-") && !f.endsWith(".crc"))
    .sort()[0];
  if (!part) return undefined;
  const saved = decodeMetadata(readFileSync(join(meta, part), "utf8"), join(meta, part));
  return { className: saved.className, sparkVersion: saved.sparkVersion };
}
