/**
 * Worker entry for parallel-delimited.ts: parses one byte range of a CSV/TSV file (delimited-range.ts) and sends
 * back the columns' buffers, moved rather than copied.
 */
import { parentPort } from "node:worker_threads";
import { parseRange, type RangeReply, type RangeTask } from "./delimited-range.js";

parentPort!.once("message", (task: RangeTask) => {
  void parseRange(task).then((reply: RangeReply) => {
    const transfer = reply.ok ? reply.columns.map((c) => c.values.buffer as ArrayBuffer) : [];
    parentPort!.postMessage(reply, transfer);
  });
});
