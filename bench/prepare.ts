/**
 * Data preparation on N ratings (default 10M): drop-na + a SQL filter + drop-duplicates + iterative 5-core, the
 * issue's target workload, timed against its pandas twin (bench/prepare_pandas.py) on the same CSV.
 *
 *   npx tsx bench/prepare.ts [--rows 10000000] [--csv FILE] [--keep-csv] [--pandas .venv/bin/python]
 *
 * Writes (unless --csv names one) a CSV `user_id,item_id,rating,timestamp` with 1% "N/A" ratings, 1% negative
 * timestamps and 5% later duplicates of (user, item) pairs; users Zipf-ish over N/50 ids, items over N/200. Reads it
 * with nullValues: ["N/A"] (timed apart), then applies the four steps with prepare's own code (in a child process
 * that starts from the table) and prints, per step, the wall seconds and the rows left, then the peak RSS, the memory
 * the steps added over the table, and the table's bytes. With --pandas PYTHON it also runs
 * the twin on the same file and prints its lines; both print the same row counts, which the script checks. Take no
 * figures on a loaded machine. Needs `npm run build` (it times the built code, as the CLI runs it).
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tableFromIPC, tableToIPC, type Table } from "apache-arrow";
import type { Transformer } from "../src/core/stage.js";

import { loadBuilt as built } from "./built-module.js";

// The built code, as the CLI runs it (under tsx the SQL engine's worker would also load TypeScript hooks).
const { buildStage } = await built<typeof import("../src/core/define-stage.js")>("src/core/define-stage.js");
const { quietContext } = await built<typeof import("../src/core/run-context.js")>("src/core/run-context.js");
const { SeededRandom } = await built<typeof import("../src/core/rng.js")>("src/core/rng.js");
const { readTable } = await built<typeof import("../src/io/read-table.js")>("src/io/read-table.js");
const { applyPrepare } = await built<typeof import("../src/prepare/apply-prepare.js")>("src/prepare/apply-prepare.js");
const { funnelStep } = await built<typeof import("../src/prepare/funnel.js")>("src/prepare/funnel.js");
const { countSource } = await built<typeof import("../src/prepare/source-counts.js")>("src/prepare/source-counts.js");
const { createRegistry } = await built<typeof import("../stages/index.js")>("stages/index.js");

const args = process.argv.slice(2);
const opt = (name: string, dflt?: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const ROWS = Number(opt("rows", "10000000"));
const here = path.dirname(fileURLToPath(import.meta.url));

async function writeCsv(file: string, n: number): Promise<void> {
  // Seeded: the same file for the same --rows on every machine.
  const rng = new SeededRandom(17);
  const r = () => rng.nextDouble();
  const users = Math.max(10, Math.floor(n / 50));
  const items = Math.max(10, Math.floor(n / 200));
  const out = createWriteStream(file);
  out.write("user_id,item_id,rating,timestamp\n");
  const base = Math.floor(n * 0.95);
  const keepU = new Int32Array(Math.min(n - base, base));
  const keepI = new Int32Array(keepU.length);
  let chunk = "";
  for (let k = 0; k < n; k++) {
    let u: number, i: number;
    if (k < base) {
      // Squaring a uniform skews activity and popularity towards small ids, as real data is skewed.
      u = Math.floor(r() * r() * users);
      i = Math.floor(r() * r() * items);
      if (k < keepU.length) ((keepU[k] = u), (keepI[k] = i));
    } else {
      const j = Math.floor(r() * keepU.length);
      u = keepU[j];
      i = keepI[j];
    }
    const rating = r() < 0.01 ? "N/A" : String(1 + Math.floor(r() * 5));
    const ts = r() < 0.01 ? -1 : 1_500_000_000 + Math.floor(r() * 1e8);
    chunk += `${u},${i},${rating},${ts}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((res) => out.once("drain", () => res()));
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
}

const STEPS: [string, Record<string, unknown>][] = [
  ["drop-na", { cols: ["rating"] }],
  ["sql-transformer", { statement: "SELECT * FROM __THIS__ WHERE timestamp >= 0" }],
  ["drop-duplicates", { cols: ["user_id", "item_id"], keep: "last", orderBy: "timestamp" }],
  ["min-count-filter", { userCol: "user_id", itemCol: "item_id", minUserCount: 5, minItemCount: 5, iterative: true }],
];

/** Linux: writing 5 to clear_refs resets the peak RSS (VmHWM), so each step's own peak can be read. */
function resetPeak(): void {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // Not Linux, or not allowed: the per-step peak then reads "?".
  }
}

function peakSinceReset(): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

function tableBytes(t: Table): number {
  let b = 0;
  for (const f of t.schema.fields) for (const d of t.getChild(f.name)!.data) b += d.byteLength;
  return b;
}

/**
 * The steps, timed, in a process of their own that starts from the table as Arrow IPC (the bytes the table holds,
 * viewed in place), so that its peak RSS minus its RSS before the first step is the memory prepare itself adds; the
 * CSV parse's own peak, in the parent, does not hide it.
 */
function runSteps(ipc: string): void {
  const registry = createRegistry();
  let stepsWall = 0;
  let stepsCpu = 0;
  let peak = 0;
  const mb = (b: number) => `${((b - before) / 2 ** 20).toFixed(0)} MB`;
  // Each step timed on its own (as the pandas twin times its steps); what applyPrepare adds around them (the
  // funnel's counts after every step) is the rest of the total.
  const timed = (step: Transformer): Transformer => ({
    ...step,
    async transform(table, ctx) {
      resetPeak();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const out = await step.transform(table, ctx);
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1e6;
      const stepPeak = peakSinceReset();
      if (stepPeak !== undefined) peak = Math.max(peak, stepPeak);
      stepsWall += wall;
      stepsCpu += cpu;
      console.log(
        `recpipe ${step.type} ${wall.toFixed(3)} s (CPU ${cpu.toFixed(3)} s) -> ${out.numRows} rows; peak RSS ${stepPeak === undefined ? "?" : mb(stepPeak)} over the start`,
      );
      resetPeak();
      return out;
    },
  });
  const steps = STEPS.filter(([type]) => registry.has(type)).map(([type, params]) => timed(buildStage(registry.get(type), params) as Transformer));
  // Handed to applyPrepare without a reference kept here, as a run hands over what it read: a step's input is
  // garbage once the next step has its output.
  const source: Table[] = [tableFromIPC(readFileSync(ipc))];
  const before = process.memoryUsage().rss;
  const all0 = performance.now();
  const c0 = process.cpuUsage();
  resetPeak();
  void applyPrepare(steps, source.pop()!, quietContext({ workers: 1 }), { user: "user_id", item: "item_id" }).then(({ funnel }) => {
    const wall = (performance.now() - all0) / 1000;
    const c = process.cpuUsage(c0);
    const total = Math.max(peak, process.resourceUsage().maxRSS * 1024);
    console.log(`recpipe prepare total ${stepsWall.toFixed(3)} s (CPU ${stepsCpu.toFixed(3)} s) in the steps`);
    console.log(
      `recpipe prepare phase ${wall.toFixed(3)} s (CPU ${((c.user + c.system) / 1e6).toFixed(3)} s) with the funnel's counts after each step, as a run records them; peak RSS ${(total / 2 ** 20).toFixed(0)} MB, ${mb(total)} over the RSS before the first step`,
    );
    console.log(`recpipe counts ${JSON.stringify(funnel.slice(1).map((f) => f.rows))}`);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "recpipe-bench-prepare-"));
  const csv = opt("csv") ?? path.join(dir, "ratings.csv");
  if (!opt("csv")) await writeCsv(csv, ROWS);
  console.log(`load ${loadavg()[0].toFixed(2)}; ${csv}`);
  const registry = createRegistry();
  for (const [type] of STEPS) if (!registry.has(type)) console.log(`recpipe ${type}: not registered in this build (skipped; the pandas twin skips it too)`);
  const t0 = performance.now();
  const table = await readTable(csv, { format: "csv", nullValues: ["N/A"] });
  const bytes = tableBytes(table);
  console.log(`recpipe read ${((performance.now() - t0) / 1000).toFixed(3)} s, ${table.numRows} rows, the table ${(bytes / 2 ** 20).toFixed(0)} MB`);
  // A run without prepare: still counts the source (users, items, duplicate pairs) for its funnel and its duplicate
  // warning; that is all prepare costs it. The counts run on a worker beside the split: the run's thread pays the
  // hand-over (the id columns' copy) and nothing else; the counting itself, on the run's thread, for comparison.
  const cols = { user: "user_id", item: "item_id" };
  const f0 = performance.now();
  const beside = countSource(table, cols);
  const handOver = performance.now() - f0;
  const counted = await beside;
  const besideWall = performance.now() - f0;
  const h0 = performance.now();
  funnelStep(table, { step: "source" }, cols);
  const inline = performance.now() - h0;
  console.log(
    `recpipe a run without prepare: counts the source's users, items and duplicate pairs on ${counted.on === "worker" ? "a worker" : "this thread"}: the run's thread pays ${(handOver / 1000).toFixed(3)} s, the counts are ready after ${(besideWall / 1000).toFixed(3)} s (on the run's thread they take ${(inline / 1000).toFixed(3)} s)`,
  );
  const ipc = path.join(dir, "ratings.arrow");
  writeFileSync(ipc, tableToIPC(table, "file"));
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--steps", ipc], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`the steps' process exited ${child.status}: ${child.stderr.slice(-2000)}`);
  process.stdout.write(child.stdout);
  const counts = JSON.parse(/recpipe counts (\[[^\]]*\])/.exec(child.stdout)![1]) as number[];
  const python = opt("pandas");
  if (python) {
    const skip = STEPS.filter(([type]) => !registry.has(type)).map(([type]) => type);
    const p = spawnSync(python, [path.join(here, "prepare_pandas.py"), csv, ...(skip.length ? ["--skip", skip.join(",")] : [])], { encoding: "utf8" });
    process.stdout.write(p.stdout);
    if (p.status !== 0) throw new Error(`prepare_pandas.py exited ${p.status}: ${p.stderr.slice(-2000)}`);
    const theirs = /counts (\[[^\]]*\])/.exec(p.stdout)?.[1];
    if (theirs !== JSON.stringify(counts)) throw new Error(`row counts differ: recpipe ${JSON.stringify(counts)}, pandas ${theirs}`);
    console.log("same row counts after every step");
  }
  if (!opt("csv") && !args.includes("--keep-csv")) rmSync(dir, { recursive: true, force: true });
}

if (opt("steps")) runSteps(opt("steps")!);
else await main();
