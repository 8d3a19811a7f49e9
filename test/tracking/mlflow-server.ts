/**
 * The real MLflow server started by mlflow-server.global.ts: waits until /health answers. Without one the tests skip
 * and say why, except under CI=true, where a missing venv or server fails the run.
 */
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import type { MlflowServerInfo } from "./mlflow-server.global.js";

export type ReadyMlflow = { url: string; python: string; startupSeconds: number };

export function mlflowServerInfo(): MlflowServerInfo {
  const s = inject("mlflowServer");
  if ("missing" in s) {
    if (process.env.CI === "true") throw new Error(`MLflow tracking tests cannot run under CI: ${s.missing}`);
    console.warn(`[tracking] skipping the real-MLflow tests: ${s.missing}`);
  }
  return s;
}

let ready: Promise<ReadyMlflow> | undefined;

export function waitForMlflow(s: MlflowServerInfo, timeoutMs = 180_000): Promise<ReadyMlflow> {
  return (ready ??= (async () => {
    if ("missing" in s) throw new Error(s.missing);
    const url = `http://127.0.0.1:${s.port}`;
    const t0 = Date.now();
    for (;;) {
      const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        const startupSeconds = (Date.now() - s.startedAt) / 1000;
        console.log(`[tracking] mlflow server ready at ${url} after ${startupSeconds.toFixed(1)} s`);
        return { url, python: s.python, startupSeconds };
      }
      let alive = true;
      try {
        process.kill(s.pid, 0);
      } catch {
        alive = false;
      }
      const tail = () => readFileSync(s.log, "utf8").split("\n").slice(-15).join("\n");
      if (!alive) throw new Error(`mlflow server died; log ${s.log}:\n${tail()}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`mlflow server did not answer /health within ${timeoutMs / 1000}s; log ${s.log}:\n${tail()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  })());
}
