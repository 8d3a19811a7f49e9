import { type Table, tableToIPC } from "apache-arrow";
import { startWorkerBeside } from "../workers/start-worker.js";
import { funnelStep, type FunnelStep, type IdColumns } from "./funnel.js";

/** Below this many rows the counts (a few ms) cost less than starting a worker. */
const BESIDE_MIN_ROWS = 1 << 20;
/**
 * Above this many rows the id columns' copy for the worker (8 bytes a row for integer ids) and its counting sort
 * (4 more) would sit beside the split's own allocations: on a run that large memory binds before time, and the
 * counts (about 3% of such a run) stay on this thread, where they run before the split allocates.
 */
const BESIDE_MAX_ROWS = 1 << 26;

/**
 * The funnel's source row (rows, distinct users and items, duplicate (user, item) pairs) of a run without prepare:,
 * counted on a worker thread so that the run's split (on this thread, with the other core idle) hides its ~0.3 s at
 * 10M rows. The row is read only when the run is written (its funnel and its duplicate-pair warning), so nothing waits
 * for it. The worker gets the two id columns as one Arrow IPC buffer (a copy: ~40 ms at 10M, the table itself stays
 * here) and counts exactly as funnelStep does here; a worker that cannot start or fails falls back to this thread.
 */
export function sourceCountsBeside(table: Table, cols: IdColumns): Promise<FunnelStep> {
  return countSource(table, cols).then((c) => c.step);
}

/** Where the counts ran: on the worker, or on this thread (small, very large, or the worker failed). */
export type CountedOn = "worker" | "this thread";

/**
 * sourceCountsBeside, saying where the counts ran (tests check the worker path is taken). The fallback may run after
 * a split that moved rows inside the table's buffers (random-split's reuseInput): a permutation of the rows, whose
 * counts are the same.
 */
export function countSource(table: Table, cols: IdColumns): Promise<{ step: FunnelStep; on: CountedOn }> {
  const here = () => ({ step: funnelStep(table, { step: "source" }, cols), on: "this thread" as const });
  const has = (c: string | undefined): c is string => c !== undefined && table.schema.fields.some((f) => f.name === c);
  const idCols = [cols.user, cols.item].filter(has);
  if (table.numRows < BESIDE_MIN_ROWS || table.numRows > BESIDE_MAX_ROWS || idCols.length === 0) return Promise.resolve().then(here);
  let ipc: Uint8Array;
  try {
    // select keeps the table's record batches; a Table built from the columns' vectors would re-slice them into
    // common batches, quadratic in the chunk count (seconds on a file of small batches).
    ipc = tableToIPC(table.select(idCols), "stream");
  } catch {
    return Promise.resolve().then(here);
  }
  return new Promise<{ step: FunnelStep; on: CountedOn }>((resolve, reject) => {
    const fallback = () => {
      try {
        resolve(here());
      } catch (e) {
        reject(e);
      }
    };
    let worker;
    try {
      worker = startWorkerBeside(import.meta.url, "funnel-worker");
    } catch {
      return fallback();
    }
    // A run that fails meanwhile exits without waiting for the counts.
    worker.unref();
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.once("message", (m: { ok: boolean; step?: FunnelStep }) =>
      settle(() => (m.ok && m.step ? resolve({ step: { ...m.step, rows: table.numRows }, on: "worker" }) : fallback())),
    );
    worker.once("error", () => settle(fallback));
    worker.once("exit", () => settle(fallback));
    worker.postMessage({ ipc, cols }, [ipc.buffer as ArrayBuffer]);
  });
}
