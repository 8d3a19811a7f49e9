import { pendingInterruptCleanups, runInterruptCleanups } from "../core/interrupt-cleanup.js";
import { removePendingTempDirs } from "../io/atomic-dir.js";

/** How long releasing remote resources (Spark models, cached data) may hold up an interrupted exit. */
const CLEANUP_LIMIT_MS = 15_000;
/**
 * Ctrl-C in a terminal reaches this process twice: from the terminal (same process group) and forwarded by the
 * supervising parent. Signals this close to the first are the same Ctrl-C, not a second one.
 */
const SAME_SIGNAL_MS = 1_000;

/**
 * Ctrl-C, `kill` and a closed terminal stop the run cleanly: the temporary run or model directory being filled is
 * removed, what a remote server holds for the run is released (up to CLEANUP_LIMIT_MS), ONE line says so, and the
 * exit code is 1. A second Ctrl-C during the release quits at once. (The supervising parent forwards these signals.)
 */
export function cleanUpOnSignals(): void {
  let first = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (first > 0) {
      if (Date.now() - first < SAME_SIGNAL_MS) return;
      process.stderr.write(`recpipe: interrupted again (${sig}); quitting without waiting for the release\n`);
      process.exit(1);
    }
    first = Date.now();
    removePendingTempDirs();
    const said = `recpipe: interrupted (${sig}); the run stopped before finishing and left no run directory`;
    const cleanups = pendingInterruptCleanups();
    if (cleanups.length === 0) {
      process.stderr.write(`${said}\n`);
      process.exit(1);
    }
    // Said before the release, which can take seconds: the user sees at once that the Ctrl-C was heard.
    process.stderr.write(`${said}; ${cleanups.join("; ")} (Ctrl-C again to quit at once)\n`);
    const exit = (unfinished: string[]) => {
      if (unfinished.length > 0) {
        process.stderr.write(
          `recpipe: not finished within ${CLEANUP_LIMIT_MS / 1000} s: ${unfinished.join("; ")}; the server frees them when the session expires\n`,
        );
      }
      process.exit(1);
    };
    void runInterruptCleanups(CLEANUP_LIMIT_MS).then(exit, () => exit(cleanups));
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, onSignal);
}
