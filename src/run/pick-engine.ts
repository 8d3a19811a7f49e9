import { InputError } from "../core/errors.js";
import type { EngineKind } from "../engines/engine.js";
import { localEngine } from "../engines/local/local-engine.js";
import { sparkConnectEngine } from "../engines/spark-connect/spark-connect-engine.js";
import type { RunOptions } from "./run-options.js";

/** The engine a run asks for: a Spark cluster with `remote` (--remote or SPARK_REMOTE), else this machine. */
export function pickEngine(opts: RunOptions): EngineKind {
  if (opts.remote) return sparkConnectEngine(opts.remote, opts.remoteModelPath, opts.remoteTimeout);
  if (opts.remoteModelPath) throw new InputError("E_ARGS", `--remote-model-path needs --remote (or SPARK_REMOTE): it saves the model on the Spark cluster`);
  if (opts.remoteTimeout !== undefined)
    throw new InputError("E_ARGS", `--remote-timeout needs --remote (or SPARK_REMOTE): it limits the waits on a Spark Connect server`);
  return localEngine;
}
