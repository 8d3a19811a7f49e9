/**
 * Worker entry for parquet-on-worker.ts: encodes one Arrow IPC stream as Parquet bytes with the same writer as the
 * main thread (parquet-codec.ts) and sends the bytes back, moved rather than copied.
 */
import { tableFromIPC } from "apache-arrow";
import { parentPort } from "node:worker_threads";
import { writeParquetBytes } from "./parquet-codec.js";
import type { ParquetReply, ParquetTask } from "./parquet-on-worker.js";

parentPort!.once("message", (task: ParquetTask) => {
  let reply: ParquetReply;
  try {
    const bytes = writeParquetBytes(tableFromIPC(task.ipc));
    reply = { ok: true, bytes };
  } catch (e) {
    reply = { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply, reply.ok ? [reply.bytes.buffer as ArrayBuffer] : []);
});
