/**
 * Parquet bytes of a table encoded on a worker thread while this thread does other work (the run directory's
 * report and recommendations while the model's factor tables encode: a 10M-rating model's are 0.4 s of snappy and
 * list encoding). The worker runs writeParquetBytes on the table rebuilt from its Arrow IPC stream, which is what
 * writeParquetBytes hands parquet-wasm on this thread too: the bytes are the same. A worker that fails (cannot
 * start, runs out of memory) is not an error: the bytes are then encoded here, as they would have been.
 */
import { tableToIPC, type Table } from "apache-arrow";
import { startWorkerBeside } from "../workers/start-worker.js";
import { writeParquetBytes } from "./parquet-codec.js";

export interface ParquetTask {
  ipc: Uint8Array;
}

export type ParquetReply = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** Starts encoding `table` on a worker; the promise gives its Parquet bytes (encoded here if the worker fails). */
export function parquetBytesOnWorker(table: Table): Promise<Uint8Array> {
  const ipc = tableToIPC(table, "stream");
  const worker = startWorkerBeside(import.meta.url, "parquet-worker");
  const reply = new Promise<ParquetReply>((resolve) => {
    worker.once("message", (r: ParquetReply) => resolve(r));
    worker.once("error", (e) => resolve({ ok: false, reason: String(e) }));
    worker.once("exit", (code) => resolve({ ok: false, reason: `worker exited with code ${code}` }));
    worker.postMessage({ ipc } satisfies ParquetTask, [ipc.buffer as ArrayBuffer]);
  }).finally(() => void worker.terminate());
  return reply.then((r) => (r.ok ? r.bytes : writeParquetBytes(table)));
}
