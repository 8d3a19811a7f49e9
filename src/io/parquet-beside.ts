import type { Worker } from "node:worker_threads";
import { tableToIPC, type Table } from "apache-arrow";
import { startWorkerBeside } from "../workers/start-worker.js";
import { dictionaryColumns, writeParquetBytes, writeParquetFromIpc } from "./parquet-codec.js";
import type { ParquetEncodeReply, ParquetEncodeTask } from "./parquet-encode-worker.js";

/**
 * Below this many bytes of Arrow IPC (about 0.05 s to encode) encoding on the calling thread costs less than a
 * worker's start (its own parquet-wasm compile included, about 0.1 s).
 */
const OFF_THREAD_MIN_BYTES = 4 << 20;

/**
 * One encoder thread for the process, started by the first large table and ended once it has nothing left to do: one
 * more isolate and parquet-wasm instance (not one per table), and the tables it gets are encoded in turn.
 */
interface Encoder {
  worker: Worker;
  pending: Map<number, (reply: ParquetEncodeReply | undefined) => void>;
}
let encoder: Encoder | undefined;
let nextTask = 0;

function startEncoder(): Encoder {
  const worker = startWorkerBeside(import.meta.url, "parquet-encode-worker");
  // A run that fails meanwhile exits without waiting for it.
  worker.unref();
  const self: Encoder = { worker, pending: new Map() };
  const ended = (): void => {
    if (encoder === self) encoder = undefined;
    for (const resolve of self.pending.values()) resolve(undefined);
    self.pending.clear();
  };
  worker.on("message", (reply: ParquetEncodeReply) => {
    self.pending.get(reply.id)?.(reply);
    self.pending.delete(reply.id);
    if (self.pending.size === 0) {
      if (encoder === self) encoder = undefined;
      void worker.terminate();
    }
  });
  worker.once("error", ended);
  worker.once("exit", ended);
  return self;
}

/**
 * writeParquetBytes on a worker thread, for a large table written while this thread has other writing to do: a run's
 * recommendations (2M rows at 10M ratings, 0.4 s to encode) and its model's factor tables (50 MB at 200k users,
 * rank 64) beside the report and the rest, on a core that is otherwise idle then. The same bytes (one library, one
 * set of writer properties). A worker that cannot start or fails falls back to this thread, so a failure is that of
 * writeParquetBytes itself.
 */
export async function writeParquetBeside(table: Table): Promise<Uint8Array> {
  const ipc = tableToIPC(table, "stream");
  const dictionary = dictionaryColumns(table);
  if (ipc.byteLength < OFF_THREAD_MIN_BYTES) return writeParquetFromIpc(ipc, dictionary);
  const reply = await new Promise<ParquetEncodeReply | undefined>((resolve) => {
    try {
      encoder ??= startEncoder();
    } catch {
      return resolve(undefined);
    }
    const task: ParquetEncodeTask = { id: nextTask++, ipc, dictionary };
    encoder.pending.set(task.id, resolve);
    // Moved, not copied (a 10M-rating run's tables are 75 MB); the fall-back encodes the table again.
    encoder.worker.postMessage(task, [ipc.buffer as ArrayBuffer]);
  });
  return reply?.ok ? reply.bytes : writeParquetBytes(table);
}
