/**
 * item-knn against benfred/implicit's CosineRecommender, side by side in one run on the same ratings and threads:
 * fit (the k neighbours of every item) plus the top 10 for every user with seen items excluded. Each tool runs in
 * its own process under /usr/bin/time -v, alternating (implicit, recpipe, implicit, recpipe, ...), never at once.
 *   bash scripts/setup-bench-venv.sh          (once: implicit in .venv)
 *   npm run build && node --import tsx bench/item-knn.ts [--sizes 5M,25M] [--runs 2] [--k 20] [--threads 2] [--weighting none|tfidf|bm25]
 * recpipe runs from dist/ (bench/compare/recpipe_item_knn.mjs), as the CLI does. Data: Zipf ratings
 * (bench/implicit-side-by-side.ts); 25M is MovieLens-25M's 162,541 x 59,047. recpipe's k excludes
 * the item itself; implicit is fitted with K = k + 1, which keeps the same neighbours. Per tool and size (median over
 * the runs): fit + top-10 wall and CPU seconds (all threads) as the tool's own clocks give them, and the process's peak
 * resident memory from /usr/bin/time -v (both processes hold the same raw ratings file). Ratios are recpipe / implicit
 * (targets: time at most 0.5x, memory at most 1x). On a loaded machine compare CPU seconds and memory, not wall.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { arg, benchPython, benchRoot, lastJsonLine, writeDenseRatings, zipfSize } from "./implicit-side-by-side.js";

const TOP_N = 10;

/** What each tool's process prints: its own clocks around fit and recommend. */
interface Timing {
  fit: number;
  recommend: number;
  cpu: number;
}

interface Measured extends Timing {
  /** Peak resident set of the whole process, from /usr/bin/time -v. */
  peakMB: number;
}

interface Config {
  /** The raw ratings file both tools read, so both peaks hold the same input. */
  file: string;
  nnz: number;
  users: number;
  items: number;
  k: number;
  threads: number;
  weighting: "none" | "tfidf" | "bm25";
}

/** Runs a command under /usr/bin/time -v: the command's last JSON line and the process's peak RSS. */
function timed(command: string[], who: string, env: NodeJS.ProcessEnv = process.env): Measured {
  const out = spawnSync("/usr/bin/time", ["-v", ...command], { encoding: "utf8", maxBuffer: 1 << 24, env });
  const t = lastJsonLine<Timing>(out, who);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(String(out.stderr));
  if (!rss) throw new Error(`${who}: /usr/bin/time -v printed no peak RSS: ${String(out.stderr).slice(-500)}`);
  return { ...t, peakMB: Number(rss[1]) / 1024 };
}

function recpipeRun(c: Config): Measured {
  const script = join(benchRoot, "bench/compare/recpipe_item_knn.mjs");
  return timed([process.execPath, script, ...toolArgs(c)], "recpipe");
}

/** Both tools' command line: FILE N USERS ITEMS K TOPN THREADS WEIGHTING. */
function toolArgs(c: Config): string[] {
  return [c.file, c.nnz, c.users, c.items, c.k, TOP_N, c.threads, c.weighting].map(String);
}

function implicitRun(c: Config): Measured {
  const script = join(benchRoot, "bench/compare/implicit_item_knn.py");
  return timed([benchPython, script, ...toolArgs(c)], "implicit", { ...process.env, OPENBLAS_NUM_THREADS: "1" });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function summary(ms: Measured[]): { wall: number; cpu: number; peakMB: number } {
  return { wall: median(ms.map((m) => m.fit + m.recommend)), cpu: median(ms.map((m) => m.cpu)), peakMB: median(ms.map((m) => m.peakMB)) };
}

if (!existsSync(join(benchRoot, "dist/stages/item-knn/index.js"))) throw new Error("no dist/: run `npm run build` first");
{
  const k = Number(arg("k", "20"));
  const threads = Number(arg("threads", "2"));
  const runs = Number(arg("runs", "2"));
  const weighting = arg("weighting", "none") as Config["weighting"];
  const dir = mkdtempSync(join(tmpdir(), "recpipe-item-knn-"));
  const cell = (s: { wall: number; cpu: number; peakMB: number }): string => `${s.wall.toFixed(2)} | ${s.cpu.toFixed(1)} | ${Math.round(s.peakMB)}`;
  console.log(
    `| ratings (users x items) | k | weighting | threads | runs | implicit fit + top-${TOP_N} s | CPU s | peak MB | recpipe fit + top-${TOP_N} s | CPU s | peak MB | recpipe / implicit: wall, CPU, memory | 1-min load |`,
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  try {
    for (const size of arg("sizes", "5M,25M").split(",")) {
      const s = zipfSize(size);
      const d = writeDenseRatings(size, dir);
      const c: Config = { file: d.file, nnz: d.nnz, users: d.users, items: d.items, k, threads, weighting };
      const load = loadavg()[0];
      const imp: Measured[] = [];
      const rec: Measured[] = [];
      for (let r = 0; r < runs; r++) {
        imp.push(implicitRun(c));
        rec.push(recpipeRun(c));
      }
      const a = summary(imp);
      const b = summary(rec);
      const ratios = `**${(b.wall / a.wall).toFixed(2)}x**, ${(b.cpu / a.cpu).toFixed(2)}x, ${(b.peakMB / a.peakMB).toFixed(2)}x`;
      console.log(
        `| ${size} (${s.users.toLocaleString("en")} x ${s.items.toLocaleString("en")}) | ${k} | ${weighting} | ${threads} | ${runs} | ${cell(a)} | ${cell(b)} | ${ratios} | ${load.toFixed(1)} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
