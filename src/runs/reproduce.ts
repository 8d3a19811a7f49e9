import { tableToIPC } from "apache-arrow";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import type { ProgressSink } from "../core/run-context.js";
import { sha256File } from "../io/atomic-dir.js";
import { readParquetBytes } from "../io/write-table.js";
import { sha256Path } from "../io/hash-path.js";
import { hadoopCrc } from "../io/hadoop-crc.js";
import type { ArtefactRecord, Manifest } from "../run/manifest.js";
import { run } from "../run/run.js";
import { funnelDifferences } from "../prepare/compare-funnel.js";
import { relaxedSimdAvailable, type AlsKernelSetting } from "../kernels/als-kernel-choice.js";

export interface Reproduction {
  /** Artefacts compared and found identical. */
  identical: string[];
  /** Human-readable differences; empty when the run reproduced. */
  differences: string[];
  /** Artefacts not compared, and why (they record wall-clock times). */
  skipped: string[];
  /** Inputs whose bytes could not be checked against the manifest, and why (the re-run still compares every artefact). */
  unverified: string[];
}

/** Files that carry the clock (timings, timestamps) and so cannot be byte-identical across runs. */
const CLOCK_FILES = new Set(["report.html"]);

/**
 * `recpipe reproduce RUN-DIR`: checks the inputs still have the recorded hashes and the run directory's artefacts are
 * still what its manifest recorded, then re-runs the resolved pipeline.yaml with the recorded worker count into a
 * scratch folder and compares every artefact: Parquet and JSON byte for byte, model metadata ignoring its timestamp.
 * The first hash that does not match stops it before anything runs: a run directory that was changed after the run
 * (perhaps by whoever sent it) is not executed. Plugins named by its pipeline.yaml load only with `allowPlugins`.
 */
export async function reproduce(
  runDir: string,
  opts: { workers?: number; progress?: ProgressSink; log?: (m: string) => void; allowPlugins?: boolean } = {},
): Promise<Reproduction> {
  const manifestPath = join(runDir, "manifest.json");
  if (!existsSync(manifestPath)) throw new InputError("E_FILE", `${runDir}: not a run directory (no manifest.json)`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  } catch (e) {
    throw new InputError("E_FILE", `${manifestPath}: not valid JSON (${(e as Error).message})`);
  }
  if (manifest.engine === "spark-connect") {
    // Spark's random splits and blocked ALS are not recpipe's: a local re-run cannot reproduce them bit for bit.
    throw new InputError(
      "E_UNSUPPORTED",
      `${runDir}: this run used the spark-connect engine (Spark ${manifest.sparkVersion ?? "?"} at ${manifest.remote ?? "?"}); reproduce re-runs on the local engine only, whose splits and fits differ from Spark's; re-run it with recpipe run ${join(runDir, "pipeline.yaml")} --remote URL`,
    );
  }
  if (!Array.isArray(manifest.inputs) || !Array.isArray(manifest.artefacts)) {
    throw new InputError("E_FILE", `${manifestPath}: expected "inputs" and "artefacts" lists; found ${JSON.stringify(Object.keys(manifest))}`);
  }
  const kernel = recordedAlsKernel(manifest, runDir);
  const result: Reproduction = { identical: [], differences: [], skipped: [], unverified: [] };
  const stop = (difference: string): Reproduction => {
    result.differences.push(difference);
    return result;
  };
  for (const input of manifest.inputs) {
    if (input.kind === "synthetic") continue; // regenerated from its recorded params; the artefacts compare the result
    if (!input.path || !input.sha256) {
      result.unverified.push(`input ${input.path ?? "(no path)"}: manifest.json records no sha256 for it`);
      continue;
    }
    if (!existsSync(input.path)) return stop(`input ${input.path}: missing`);
    let now: string;
    try {
      now = await sha256Path(input.path);
    } catch (e) {
      return stop(`input ${input.path}: cannot be read to check its sha256 (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (now !== input.sha256) return stop(`input ${input.path}: sha256 ${now.slice(0, 16)}... differs from the recorded ${input.sha256.slice(0, 16)}...`);
  }
  // The run directory itself must still be what its manifest recorded: comparing only recorded hashes with the
  // re-run's would miss an artefact edited after the run.
  for (const a of manifest.artefacts) {
    const file = join(runDir, a.path);
    if (!existsSync(file)) return stop(`${a.path}: missing from ${runDir} (recorded in manifest.json)`);
    const now = await sha256File(file);
    if (now !== a.sha256) return stop(`${a.path}: changed since the run: sha256 ${now.slice(0, 16)}... but manifest.json records ${a.sha256.slice(0, 16)}...`);
  }
  const scratch = await mkdtemp(join(tmpdir(), "recpipe-reproduce-"));
  try {
    const again = await run(join(runDir, "pipeline.yaml"), {
      outDir: scratch,
      workers: opts.workers ?? manifest.workers,
      kernel,
      progress: opts.progress,
      log: opts.log,
      allowPlugins: opts.allowPlugins,
    });
    const fresh = JSON.parse(await readFile(join(again.runDir, "manifest.json"), "utf8")) as Manifest;
    const byPath = new Map(fresh.artefacts.map((a) => [a.path, a]));
    for (const old of manifest.artefacts) {
      const neu = byPath.get(old.path);
      byPath.delete(old.path);
      if (CLOCK_FILES.has(old.path)) {
        result.skipped.push(`${old.path} (records wall-clock timings)`);
        continue;
      }
      if (!neu) {
        result.differences.push(`${old.path}: not produced by the re-run`);
        continue;
      }
      if (await same(old, neu, runDir, again.runDir)) result.identical.push(old.path);
      else {
        const sameRows = old.path.endsWith(".parquet") && (await parquetRowsEqual(join(runDir, old.path), join(again.runDir, old.path)));
        result.differences.push(
          `${old.path}: sha256 ${neu.sha256.slice(0, 16)}... differs from the recorded ${old.sha256.slice(0, 16)}...${sameRows ? " (same rows; the file bytes differ)" : ""}`,
        );
      }
    }
    // Run directories written before recpipe wrote Hadoop checksum files (.<file>.crc beside each model file) record
    // none: the re-run's checksums are of files compared above, so they are skipped, not differences.
    const recordsChecksums = manifest.artefacts.some((a) => isChecksumFile(a.path));
    for (const extra of byPath.keys()) {
      if (CLOCK_FILES.has(extra)) continue;
      if (!recordsChecksums && isChecksumFile(extra))
        result.skipped.push(`${extra} (a checksum file; this run directory was written before recpipe wrote them)`);
      else result.differences.push(`${extra}: produced by the re-run but not recorded`);
    }
    result.differences.push(...funnelDifferences(manifest.prepare, fresh.prepare));
    for (const [k, v] of Object.entries(manifest.metrics)) {
      const w = again.metrics[k];
      if (!(w === v || (Number.isNaN(w) && Number.isNaN(v)))) result.differences.push(`metric ${k}: ${w} vs recorded ${v}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return result;
}

/**
 * The `--kernel` setting that re-runs with the ALS kernel the manifest names (runs from before it was recorded ran
 * the portable one). Refused (exit 2) before anything runs when this machine cannot run that kernel: another kernel
 * would round differently, and the comparison would report differences that say nothing about the run.
 */
function recordedAlsKernel(manifest: Manifest, runDir: string): AlsKernelSetting {
  const recorded: unknown = manifest.kernels?.als ?? "simd128";
  if (recorded === "simd128") return "portable";
  if (recorded !== "simd128-fma") {
    throw new InputError("E_FILE", `${join(runDir, "manifest.json")}: kernels.als must be "simd128" or "simd128-fma"; found ${JSON.stringify(recorded)}`);
  }
  if (!relaxedSimdAvailable()) {
    throw new InputError(
      "E_UNSUPPORTED",
      `${runDir}: this run used the ALS kernel simd128-fma (fused multiply-add through WebAssembly relaxed SIMD), which this Node (${process.version}) cannot run; reproduce it where \`recpipe run --kernel fma\` works (the same CPU kind: fused rounding depends on the CPU), or re-run the pipeline with --kernel portable`,
    );
  }
  return "fma";
}

async function same(a: ArtefactRecord, b: ArtefactRecord, dirA: string, dirB: string): Promise<boolean> {
  if (a.sha256 === b.sha256) return true;
  // Spark metadata carries the save time; and since the resolved pipeline.yaml writes every default out, the re-run
  // sets explicitly what the first run left at its default. The effective params must match, and everything else.
  if (/(^|\/)metadata\/part-/.test(a.path)) {
    const normalise = (t: string) => {
      const { timestamp: _t, paramMap, defaultParamMap, ...rest } = JSON.parse(t) as Record<string, unknown>;
      const params = { ...(defaultParamMap as object), ...(paramMap as object) } as Record<string, unknown>;
      return JSON.stringify({ ...rest, params: Object.fromEntries(Object.entries(params).sort(([x], [y]) => (x < y ? -1 : 1))) });
    };
    return normalise(await readFile(join(dirA, a.path), "utf8")) === normalise(await readFile(join(dirB, b.path), "utf8"));
  }
  // The checksum of a metadata file changes with its timestamp: it matches when each is the right checksum of its own
  // metadata file (whose content is compared above).
  const crcOf = /^(.*\/metadata\/|metadata\/)\.(part-[^/]*)\.crc$/.exec(a.path);
  if (crcOf) {
    const own = async (dir: string) => Buffer.from(hadoopCrc(await readFile(join(dir, crcOf[1], crcOf[2])))).equals(await readFile(join(dir, a.path)));
    return (await own(dirA)) && (await own(dirB));
  }
  return false;
}

/**
 * Whether two Parquet files hold the same schema and rows (their Arrow IPC streams are equal), whatever else differs
 * in their bytes (the writer named in the footer, compression). False when either cannot be read.
 */
export async function parquetRowsEqual(fileA: string, fileB: string): Promise<boolean> {
  try {
    const ipc = async (f: string) => tableToIPC(readParquetBytes(await readFile(f)), "stream");
    return Buffer.from(await ipc(fileA)).equals(await ipc(fileB));
  } catch {
    return false;
  }
}

/** A Hadoop checksum file (`.<name>.crc`) as Spark writes beside each file of a model directory. */
function isChecksumFile(path: string): boolean {
  return /(^|\/)\.[^/]+\.crc$/.test(path);
}
