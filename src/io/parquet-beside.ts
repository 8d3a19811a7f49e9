import { tableToIPC, type Table } from "apache-arrow";
import { startWorkerBeside } from "../workers/start-worker.js";
import { dictionaryColumns, writeParquetBytes } from "./parquet-codec.js";
import type { ParquetEncodeReply, ParquetEncodeTask } from "./parquet-encode-worker.js";

/**
 * Below this many rows encoding on the calling thread costs less than a worker's start (its own parquet-wasm
 * compile included, about 0.1 s).
 */
const OFF_THREAD_MIN_ROWS = 250_000;

/**
 * writeParquetBytes on a worker thread, for a large table written while this thread has other writing to do: a run's
 * recommendations (2M rows at 10M ratings, 0.4 s to encode) beside its model's factor tables and report, on a core
 * that is otherwise idle then. The same bytes (one library, one set of writer properties). A worker that cannot start
 * or fails falls back to this thread, so a failure is that of writeParquetBytes itself.
 */
export async function writeParquetBeside(table: Table): Promise<Uint8Array> {
  if (table.numRows < OFF_THREAD_MIN_ROWS) return writeParquetBytes(table);
  const ipc = tableToIPC(table, "stream");
  const reply = await new Promise<ParquetEncodeReply | undefined>((resolve) => {
    let worker;
    try {
      worker = startWorkerBeside(import.meta.url, "parquet-encode-worker");
    } catch {
      return resolve(undefined);
    }
    // A run that fails meanwhile exits without waiting for it.
    worker.unref();
    worker.once("message", (m: ParquetEncodeReply) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once("error", () => resolve(undefined));
    worker.once("exit", () => resolve(undefined));
    const task: ParquetEncodeTask = { ipc, dictionary: dictionaryColumns(table) };
    worker.postMessage(task, [ipc.buffer as ArrayBuffer]);
  });
  return reply?.ok ? reply.bytes : writeParquetBytes(table);
}
