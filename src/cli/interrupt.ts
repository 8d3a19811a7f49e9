import { removePendingTempDirs } from "../io/atomic-dir.js";

/**
 * Ctrl-C, `kill` and a closed terminal stop the run cleanly: the temporary run or model directory being filled is
 * removed, one line says so, and the exit code is 1. (The supervising parent forwards these signals here.)
 */
export function cleanUpOnSignals(): void {
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      removePendingTempDirs();
      process.stderr.write(`recpipe: interrupted (${sig}); the run stopped before finishing and left no run directory\n`);
      process.exit(1);
    });
  }
}
