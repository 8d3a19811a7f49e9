/**
 * Work that must still happen when the process is interrupted (Ctrl-C, SIGTERM, SIGHUP) before it exits: releasing
 * what a remote server holds for this run (models and cached data on a Spark cluster), which no exit handler can do
 * because it needs the network. The CLI's signal handler runs these, with a time limit, then exits; whoever starts
 * such work registers it here and unregisters it when the work is released normally.
 */
interface Cleanup {
  /** What the cleanup does, said on the console ("releasing the Spark session's models"). */
  what: string;
  run: () => Promise<void>;
}

const pending = new Set<Cleanup>();
let interrupting = false;

/** Registers a cleanup; returns the function that unregisters it. */
export function onInterrupt(what: string, run: () => Promise<void>): () => void {
  const c = { what, run };
  pending.add(c);
  return () => {
    pending.delete(c);
  };
}

/** What the registered cleanups do, for the console line printed while they run. */
export function pendingInterruptCleanups(): string[] {
  return [...pending].map((c) => c.what);
}

/**
 * True once an interrupt started the cleanups: the work they stop then fails with errors nobody needs to read (the
 * signal handler has already said the run was interrupted, and it decides the exit).
 */
export function interruptInProgress(): boolean {
  return interrupting;
}

/**
 * Runs every registered cleanup at once; resolves when all have settled or after `timeoutMs`, whichever is first,
 * with what did not finish (failed or still running at the limit).
 */
export async function runInterruptCleanups(timeoutMs: number): Promise<string[]> {
  interrupting = true;
  const all = [...pending];
  pending.clear();
  const unfinished = new Set(all.map((c) => c.what));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(all.map((c) => c.run().then(() => unfinished.delete(c.what)))),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  return [...unfinished];
}
