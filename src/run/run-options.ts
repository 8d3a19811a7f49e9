import type { FunnelStep } from "../prepare/funnel.js";
import type { AlsKernelSetting } from "../kernels/als-kernel-choice.js";
import type { ProgressSink } from "../core/run-context.js";
import type { StageRegistry } from "../core/registry.js";
import type { TuneResult } from "../model/tune-result.js";
import type { LoadedPipeline } from "../spec/load-pipeline-file.js";

/** How `run` is called (the CLI's flags, or a program's options), whichever engine runs it. */
export interface RunOptions {
  /** `--set KEY=VALUE` overrides. */
  set?: string[];
  /** Folder that receives the run directory (default: the file's `output.dir`). */
  outDir?: string;
  /** Worker threads for numeric work (default: all cores). */
  workers?: number;
  /** `--kernel`: which build of the ALS kernels runs (src/run/als-kernel-setting.ts); default portable. */
  kernel?: AlsKernelSetting;
  progress?: ProgressSink;
  log?: (message: string) => void;
  warn?: (message: string) => void;
  registry?: StageRegistry;
  /** Run the plugin modules the file names (`--allow-plugins`); without it a file naming plugins is refused. */
  allowPlugins?: boolean;
  /** Clock for the run directory's name (tests). */
  now?: Date;
  /** Run on a Spark cluster through Spark Connect (sc://HOST:PORT...) instead of this machine. */
  remote?: string;
  /** With `remote`: also save the model on the cluster, with Spark's own writers, at this path. */
  remoteModelPath?: string;
  /** With `remote`: --remote-timeout, seconds a request may go without a word from the server. */
  remoteTimeout?: number;
  /**
   * Called once the file is loaded and checked, before any data is read or any cluster contacted (the CLI reaches
   * the MLflow tracking server here, so an unreachable one stops the run before it costs anything).
   */
  beforeWork?: (loaded: LoadedPipeline) => Promise<void>;
}

export interface RunResult {
  runDir: string;
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  /** The regression metrics on the training rows, beside the test metrics (over-fitting shows as a gap). */
  trainMetrics: Record<string, number>;
  /** Said plainly before the numbers: no test set, a model worse than a baseline, a refit on every row. */
  notes: string[];
  timingsSeconds: Record<string, number>;
  tune?: TuneResult["summary"];
  /** Rows, distinct users and items after reading and after each prepare step (the local engine counts them). */
  prepare?: FunnelStep[];
}
