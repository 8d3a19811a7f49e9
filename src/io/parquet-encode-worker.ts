/** Worker entry for parquet-beside.ts: encodes tables (Arrow IPC stream in) as Parquet bytes (out, moved), in turn. */
import { parentPort } from "node:worker_threads";
import { writeParquetFromIpc } from "./parquet-codec.js";

export interface ParquetEncodeTask {
  id: number;
  ipc: Uint8Array;
  dictionary: string[];
}
export type ParquetEncodeReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; message: string };

parentPort!.on("message", (task: ParquetEncodeTask) => {
  let reply: ParquetEncodeReply;
  try {
    reply = { id: task.id, ok: true, bytes: writeParquetFromIpc(task.ipc, task.dictionary) };
  } catch (e) {
    reply = { id: task.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply, reply.ok ? [reply.bytes.buffer as ArrayBuffer] : []);
});
