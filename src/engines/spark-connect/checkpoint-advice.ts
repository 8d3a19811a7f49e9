import type { PipelineSpec } from "../../spec/spec.js";
import type { SparkConnectClient } from "./transport/client.js";

/** Spark's core setting for the checkpoint directory (Spark 4.0+), read when the server's SparkContext starts. */
export const CHECKPOINT_DIR_CONF = "spark.checkpoint.dir";

/**
 * Spark's ALS truncates the lineage of its factor RDDs every `checkpointInterval` iterations, but only when the
 * SparkContext has a checkpoint directory; without one the lineage grows with every iteration, and a long fit
 * (maxIter 40 on a local[2] server) dies with a stack overflow in the driver. recpipe cannot fix this from the client:
 * Spark Connect has no SparkContext.setCheckpointDir, and the directory is a core setting a session cannot change
 * (spark.conf.set refuses it). So it says so, before the fit, naming what to set on the server.
 */
/** A stage as the pipeline file declares it (resolved params) or as built: its type, name and params. */
type DeclaredStage = { type: string; name: string; params: Readonly<Record<string, unknown>> };

/** A stage that checkpoints its lineage as Spark's iterative estimators do: it has both params (ALS today). */
const checkpoints = (s: DeclaredStage) => "checkpointInterval" in s.params && "maxIter" in s.params;

export function checkpointAdvice(stages: readonly DeclaredStage[], spec: PipelineSpec, checkpointDir: string | undefined): string | undefined {
  if (checkpointDir) return undefined;
  for (const s of stages) {
    if (!checkpoints(s)) continue;
    const interval = Number(s.params.checkpointInterval ?? 10);
    const tried = spec.tune?.grid.filter((g) => g.stage === s.name && g.param === "maxIter").flatMap((g) => g.values.map(Number)) ?? [];
    const maxIter = Math.max(Number(s.params.maxIter ?? 10), ...tried);
    if (interval < 1 || maxIter <= interval) continue;
    return (
      `${s.name} (${s.type}): maxIter ${maxIter} is past checkpointInterval ${interval}, and the server has no checkpoint directory (${CHECKPOINT_DIR_CONF} is unset), ` +
      `so Spark's ALS cannot truncate its lineage: long fits can crash the server's driver with a stack overflow (maxIter 40 does on a local server). ` +
      `Start the server with --conf ${CHECKPOINT_DIR_CONF}=DIR (a directory every executor can write, e.g. on HDFS or S3), the Connect equivalent of spark.sparkContext.setCheckpointDir`
    );
  }
  return undefined;
}

/** Asks the server for its checkpoint directory and returns the advice, if any (see checkpointAdvice). */
export async function remoteCheckpointAdvice(client: SparkConnectClient, stages: readonly DeclaredStage[], spec: PipelineSpec): Promise<string | undefined> {
  if (!stages.some(checkpoints)) return undefined;
  return checkpointAdvice(stages, spec, await client.getConf(CHECKPOINT_DIR_CONF));
}
