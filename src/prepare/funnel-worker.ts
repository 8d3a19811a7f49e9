/** Worker entry for source-counts.ts: counts the source's funnel row on this thread while the run goes on. */
import { parentPort } from "node:worker_threads";
import { tableFromIPC } from "apache-arrow";
import { funnelStep, type IdColumns } from "./funnel.js";

parentPort!.once("message", ({ ipc, cols }: { ipc: Uint8Array; cols: IdColumns }) => {
  try {
    parentPort!.postMessage({ ok: true, step: funnelStep(tableFromIPC(ipc), { step: "source" }, cols) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, message: String(e) });
  }
});
