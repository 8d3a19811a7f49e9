/** Worker entry for parquet-beside.ts: encodes one table (Arrow IPC stream in) as Parquet bytes (out, moved). */
import { parentPort } from "node:worker_threads";
import { writeParquetFromIpc } from "./parquet-codec.js";

export interface ParquetEncodeTask {
  ipc: Uint8Array;
  dictionary: string[];
}
export type ParquetEncodeReply = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

parentPort!.once("message", (task: ParquetEncodeTask) => {
  let reply: ParquetEncodeReply;
  try {
    reply = { ok: true, bytes: writeParquetFromIpc(task.ipc, task.dictionary) };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply, reply.ok ? [reply.bytes.buffer as ArrayBuffer] : []);
});
