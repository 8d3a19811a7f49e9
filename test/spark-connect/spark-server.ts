/**
 * The Spark Connect server of one Spark line, started by spark-servers.global.ts: waits until it accepts requests.
 * Without one the tests skip and say why, except under CI=true, where a missing server fails the run.
 */
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import type { ServerInfo, SparkLine } from "./spark-servers.global.js";

export type ReadyServer = { line: SparkLine; url: string; port: number };

export function serverInfo(line: SparkLine): ServerInfo {
  const s = inject("sparkConnectServers").find((x) => x.line === line);
  if (!s) throw new Error(`no Spark ${line} server in the global setup`);
  if ("missing" in s) {
    if (process.env.CI === "true") throw new Error(`Spark Connect tests cannot run under CI: Spark ${line}: ${s.missing}`);
    console.warn(`[spark-connect] skipping Spark ${line} tests: ${s.missing}`);
  }
  return s;
}

/** Polls the server's log until it says it started (about 15-40 s on 2 busy cores), or fails if it died. */
export async function waitForServer(s: ServerInfo, timeoutMs = 240_000): Promise<ReadyServer> {
  if ("missing" in s) throw new Error(s.missing);
  const t0 = Date.now();
  for (;;) {
    const text = readFileSync(s.log, "utf8");
    if (text.includes("Spark Connect server started")) return { line: s.line, url: `sc://127.0.0.1:${s.port}`, port: s.port };
    let alive = true;
    try {
      process.kill(s.pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) throw new Error(`Spark ${s.line} Connect server died; log ${s.log}:\n${text.split("\n").slice(-15).join("\n")}`);
    if (Date.now() - t0 > timeoutMs) throw new Error(`Spark ${s.line} Connect server did not start within ${timeoutMs / 1000}s; log ${s.log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
