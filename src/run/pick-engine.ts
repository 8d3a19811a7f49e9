import { InputError } from "../core/errors.js";
import type { EngineKind } from "../engines/engine.js";
import { localEngine } from "../engines/local/local-engine.js";
import type { RunOptions } from "./run-options.js";

/** The engine a run asks for: a Spark cluster with `remote` (--remote or SPARK_REMOTE), else this machine. */
export async function pickEngine(opts: RunOptions): Promise<EngineKind> {
  // Imported only with --remote: the Spark Connect client (gRPC, protobuf) is a third of a second of every local run's start-up.
  if (opts.remote)
    return (await import("../engines/spark-connect/spark-connect-engine.js")).sparkConnectEngine(opts.remote, opts.remoteModelPath, opts.remoteTimeout);
  if (opts.remoteModelPath) throw new InputError("E_ARGS", `--remote-model-path needs --remote (or SPARK_REMOTE): it saves the model on the Spark cluster`);
  if (opts.remoteTimeout !== undefined)
    throw new InputError("E_ARGS", `--remote-timeout needs --remote (or SPARK_REMOTE): it limits the waits on a Spark Connect server`);
  return localEngine;
}
