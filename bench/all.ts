/**
 * Regenerates BENCHMARKS.md as a whole from one build of the code: runs every bench script the file quotes, one after
 * the other, and writes their printed tables under the prose of bench/benchmark-sections.ts. Nothing in the file is
 * typed by hand, so every figure comes from the commit named at its top.
 *
 *   npx tsx bench/all.ts [--quick] [--only id,id] [--out BENCHMARKS.md] [--shared ../shared]
 *
 * --quick runs smaller sizes (about half an hour on 2 cores instead of two); --only runs some sections and writes
 * them to --out (default: a file in .bench-data/, so a partial run never replaces BENCHMARKS.md). Needs `npm run build`
 * first and the bench venv (`bash scripts/setup-bench-venv.sh`) for the sections that compare with Python tools.
 * Each section's stderr goes to .bench-data/all/<id>.log. A section that fails is written as failed, with its last
 * error line, and the exit code is 1.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { benchmarkSections, type BenchmarkSection } from "./benchmark-sections.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes("--quick");
const only = arg("only")?.split(",");
const shared = resolve(arg("shared") ?? process.env.RECPIPE_SHARED ?? "../shared");
const out = resolve(arg("out") ?? (only ? ".bench-data/BENCHMARKS-partial.md" : "BENCHMARKS.md"));
const logDir = resolve(".bench-data/all");
mkdirSync(logDir, { recursive: true });

const git = (...a: string[]) => execFileSync("git", a, { encoding: "utf8" }).trim();
const commit = git("rev-parse", "--short=12", "HEAD");
const dirty = git("status", "--porcelain", "--untracked-files=no", "--", "src", "stages", "bench", "package.json") !== "";
const utc = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

function machine(): string {
  const cpuInfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.*)/.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? "unknown CPU";
  return `${cpus().length} vCPU ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux, Node ${process.version}`;
}

interface SectionResult {
  section: BenchmarkSection;
  command: string;
  started: Date;
  seconds: number;
  loadAtStart: number;
  loadAtEnd: number;
  stdout: string;
  failed?: string;
}

/**
 * Waits (up to 3 minutes) for the 1-minute load to fall below 1.0, the previous section's own work included, so each
 * section starts on a quiet machine; `uptime` goes to the log either way.
 */
function waitForQuiet(): void {
  const until = Date.now() + 180_000;
  while (loadavg()[0] >= 1.0 && Date.now() < until) spawnSync("sleep", ["5"]);
  process.stderr.write(`[bench/all] uptime: ${execFileSync("uptime", { encoding: "utf8" }).trim()}\n`);
}

function runSection(s: BenchmarkSection): SectionResult {
  waitForQuiet();
  const commands = s.commands({ quick, shared });
  const command = commands.map((c) => c.join(" ")).join(" && ");
  const started = new Date();
  const loadAtStart = loadavg()[0];
  process.stderr.write(`[bench/all] ${utc(started)} ${s.id}: ${command} (1-min load ${loadAtStart.toFixed(1)})\n`);
  let stdout = "";
  let stderr = "";
  let failed: string | undefined;
  for (const [i, argv] of commands.entries()) {
    // A section's later commands (e2e-compare's 3M table after its 10M one) start on a quiet machine too, or their
    // rows start at the load the section's own first command left and do not count.
    if (i > 0) waitForQuiet();
    const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", maxBuffer: 64 * 2 ** 20, env: { ...process.env, RECPIPE_SHARED: shared } });
    stdout += r.stdout ?? "";
    stderr += r.stderr ?? "";
    if (r.status !== 0) {
      const lastError = (r.stderr ?? "").trim().split("\n").at(-1) ?? "";
      failed = `${argv.join(" ")}: exit ${r.status ?? r.signal}: ${lastError.slice(0, 300)}`;
      break;
    }
  }
  writeFileSync(join(logDir, `${s.id}.log`), stderr);
  const seconds = (Date.now() - started.getTime()) / 1000;
  process.stderr.write(`[bench/all] ${s.id}: ${failed ?? "ok"} in ${seconds.toFixed(0)} s\n`);
  return { section: s, command, started, seconds, loadAtStart, loadAtEnd: loadavg()[0], stdout, failed };
}

const chosen = benchmarkSections.filter((s) => !only || only.includes(s.id));
if (only)
  for (const id of only)
    if (!benchmarkSections.some((s) => s.id === id)) throw new Error(`--only: no section "${id}"; sections: ${benchmarkSections.map((s) => s.id).join(", ")}`);
const began = new Date();
const results: SectionResult[] = [];

/** Which figures a reader may hold against a target: the rule is printed with every file. */
const COUNTS =
  "- **Which figures count:** only those whose run started at a 1-minute load of at most 1.0 (each table prints it). A row that started above 1.0 shared the 2 cores, if only with the bench's own previous run or a Spark server, and does not count toward a target until it is re-run alone.";

/** The whole file from the sections run so far: written after each one, so a run cut short still leaves its figures. */
function render(): string {
  const lines: string[] = [
    "# Benchmarks",
    "",
    "Speed and memory of recpipe, measured with the scripts in `bench/` (never in tests). This file is written as a whole",
    "by `npx tsx bench/all.ts" + (quick ? " --quick" : "") + "`: every table below is what a bench script printed, all from the one build named here.",
    "",
    `- **Code:** commit \`${commit}\`${dirty ? " with uncommitted changes to the sources" : ""}, built with \`npm run build\`.`,
    `- **Machine:** ${machine()}.`,
    `- **When:** ${utc(began)} to ${utc(new Date())}, ${quick ? "quick sizes (`--quick`)" : "full sizes"}; the 1-minute load average at the start and end of each section is printed with it (2 cores: a load above 2 means other work shared the CPU and the seconds are inflated).`,
    "- **Re-run:** `npm run build && npx tsx bench/all.ts` (or one section's command as printed under its title).",
    COUNTS,
    "",
  ];
  if (results.length < chosen.length) lines.push(`**Incomplete:** ${results.length} of ${chosen.length} sections run so far.`, "");
  for (const r of results) {
    lines.push(`## ${r.section.title}`, "", r.section.about.trim(), "");
    lines.push(
      `\`${r.command}\` — ${utc(r.started)}, ${r.seconds.toFixed(0)} s, 1-minute load ${r.loadAtStart.toFixed(1)} at the start, ${r.loadAtEnd.toFixed(1)} at the end.`,
      "",
    );
    if (r.failed) lines.push(`**Failed** (${r.failed}); its log is \`.bench-data/all/${r.section.id}.log\`.`, "");
    if (r.section.header && r.stdout.trim() !== "") lines.push(...r.section.header);
    lines.push(r.stdout.trim(), "");
    if (r.section.targets) lines.push("Targets to read these figures against: " + r.section.targets.trim(), "");
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n");
}

for (const s of chosen) {
  results.push(runSection(s));
  writeFileSync(out, render());
}
process.stderr.write(`[bench/all] wrote ${out}\n`);
process.exitCode = results.some((r) => r.failed) ? 1 : 0;
