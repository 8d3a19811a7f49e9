import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { reproduce } from "../../src/runs/reproduce.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-reproduce-remote-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("reproduce refuses a run made on Spark Connect (exit 2), naming the engine and how to re-run it", async () => {
  writeFileSync(
    path.join(dir, "manifest.json"),
    JSON.stringify({ engine: "spark-connect", sparkVersion: "4.0.5", remote: "sc://127.0.0.1:15002", inputs: [], artefacts: [], metrics: {} }),
  );
  const err = (await reproduce(dir).then(
    () => undefined,
    (e: unknown) => e,
  )) as Error & { exitCode: number };
  expect(err.exitCode).toBe(2);
  expect(err.message).toMatch(/used the spark-connect engine \(Spark 4\.0\.5 at sc:\/\/127\.0\.0\.1:15002\); reproduce re-runs on the local engine only/);
  expect(err.message).toContain("--remote URL");
});
