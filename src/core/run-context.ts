import type { AlsKernelName } from "../kernels/als-kernel-choice.js";

/**
 * What a stage may use while it runs: the seed for its random steps, how many workers it may use, and where to
 * report progress and messages. Created by the pipeline runner (and by tests); stages never read globals.
 */
export interface RunContext {
  /** Seed for this stage's random steps when its params set none (derived from the pipeline seed by name). */
  readonly seed: number;
  /** Worker threads the stage may use for its numeric work (>= 1). */
  readonly workers: number;
  /** The build of the ALS kernels to run (src/kernels/als-kernel-choice.ts); absent: the portable one. */
  readonly alsKernel?: AlsKernelName;
  readonly progress: ProgressSink;
  /** Informational messages (stderr, never stdout). */
  log(message: string): void;
  /** Warnings worth the user's attention (e.g. an evaluator saw NaN predictions). */
  warn(message: string): void;
}

/** A progress bar or periodic plain lines; `quiet` makes it a no-op. */
export interface ProgressSink {
  start(label: string, total: number, unit?: string): ProgressTask;
}

export interface ProgressTask {
  tick(done: number): void;
  /** The work ended; `failed` when it stopped short (an error, Ctrl-C), so nothing claims it completed. */
  done(failed?: boolean): void;
}

export const silentProgress: ProgressSink = {
  start: () => ({ tick: () => undefined, done: () => undefined }),
};

/** A context for tests and programmatic use: no output. */
export function quietContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    seed: 42,
    workers: 1,
    progress: silentProgress,
    log: () => undefined,
    warn: () => undefined,
    // An override given as undefined keeps the default.
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}
