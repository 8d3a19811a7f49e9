import { existsSync, readFileSync } from "node:fs";
import { freemem, totalmem } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../../core/errors.js";
import { estimateRows, type RowEstimate } from "../../io/estimate-rows.js";
import type { PipelineSpec } from "../../spec/spec.js";

/**
 * Peak resident memory of a local run, from the row count and the params alone, so a run that cannot fit is refused
 * before anything is read. The constants were set from peaks measured with /usr/bin/time around `recpipe run`
 * (read, string-indexer, 80/20 split, ALS, evaluation, baselines, write) on 2026-11-27: a 25M-row MovieLens-shaped
 * CSV peaked at 2.14 GB, a 12.5M-row KuaiRec-shaped CSV at 1.06 GB; on 2026-12-06, once the split reused the source's
 * buffers and the fit read the indexer's columns in place, synthetic runs of 2M, 20M and 50M ratings peaked at 0.36,
 * 1.33 and 3.03 GB (51-55 B a rating beyond the runtime; 72 B before). They cover the input table (its rows moved
 * into train and test), the indexed id columns, the ALS state (16 B a training rating plus 8 while it is built) and
 * what evaluation and the baselines hold at once, and err high (the estimate is 1.2-1.5x those peaks): refusing a
 * run that would have fitted costs less than a crash after the data was read.
 * `bench/memory-estimate.ts` prints estimate against measured peak.
 */
const RUNTIME_BYTES = 300e6;
/** Bytes a rating at the run's peak, by source: text files hold a parse buffer and may hold string ids. */
const BYTES_PER_ROW = { file: 90, synthetic: 66 } as const;
/** Each factor row is held as the wasm copy, the model's Float32 copy, the top-k panel and the saved table. */
const FACTOR_COPIES = 4;
/** Users + items when the source does not say (files): one id for every 20 ratings bounds every real dataset we know. */
const ROWS_PER_ID = 20;
/** Each concurrent tuning trial holds its fold's train table and ALS state. */
const BYTES_PER_ROW_PER_TRIAL = 40;

export interface MemoryEstimate {
  rows: number;
  /** How the row count was found. */
  rowsFrom: string;
  bytes: number;
}

export interface MachineMemory {
  totalBytes: number;
  availableBytes: number;
}

/** Rows the source will produce, without producing them. */
export async function estimateSourceRows(spec: PipelineSpec, baseDir: string): Promise<{ rows: number; from: string; ids?: number } | undefined> {
  const s = spec.source;
  if (s.kind === "synthetic") {
    const perUser = Math.min(s.items, Math.max(1, Math.round(s.items * s.density)));
    return {
      rows: s.users * perUser,
      from: `the synthetic source's params: ${s.users.toLocaleString("en-US")} users x ${perUser.toLocaleString("en-US")} ratings each`,
      ids: s.users + s.items,
    };
  }
  const path = isAbsolute(s.path) ? s.path : resolve(baseDir, s.path);
  const r: RowEstimate | undefined = await estimateRows(path, s.format, { header: s.header ?? s.columns === undefined });
  if (!r) return undefined;
  const from =
    r.how === "parquet metadata"
      ? "the Parquet metadata"
      : r.how === "sampled lines"
        ? `the file's size (${gb(r.bytes)}) over the mean length of its first MiB of lines`
        : `the file's size (${gb(r.bytes)})`;
  return { rows: r.rows, from };
}

export function estimateRunMemory(spec: PipelineSpec, rows: number, rowsFrom: string, ids?: number): MemoryEstimate {
  // Factor memory: every factorization stage (one with a `rank` param, as als) holds rank floats per id.
  const alsRank = Math.max(0, ...spec.pipeline.map((s) => (typeof s.params.rank === "number" ? s.params.rank : 0)));
  const kp = Math.ceil(alsRank / 4) * 4;
  const nIds = ids ?? Math.ceil(rows / ROWS_PER_ID);
  let bytes = RUNTIME_BYTES + rows * BYTES_PER_ROW[spec.source.kind];
  bytes += nIds * kp * 4 * FACTOR_COPIES;
  // item-knn, while it fits: the weighted matrix twice (16 B a rating) beside the training rows it keeps (8 B)
  if (spec.pipeline.some((s) => s.type === "item-knn")) bytes += rows * 24;
  // recommendations: item ids, scores and the flat output table (user, rank, item, rating) for every user
  if (spec.recommend) bytes += nIds * spec.recommend.k * 32;
  if (spec.tune) bytes += rows * BYTES_PER_ROW_PER_TRIAL * Math.max(1, Number(spec.tune.params.parallelism) || 1);
  return { rows, rowsFrom, bytes };
}

/** The memory this process may use: the machine's (or its cgroup's limit, when lower), and what is free right now. */
export function machineMemory(): MachineMemory {
  let totalBytes = totalmem();
  const cgroup = "/sys/fs/cgroup/memory.max";
  if (existsSync(cgroup)) {
    const v = Number(readFileSync(cgroup, "utf8").trim());
    if (Number.isFinite(v) && v > 0) totalBytes = Math.min(totalBytes, v);
  }
  return { totalBytes, availableBytes: Math.min(totalBytes, freemem()) };
}

/**
 * Refuses (exit 2) a run whose estimated peak exceeds the memory available now, saying the estimate, how the row count
 * was found, the memory found and what to do. Silent when the estimate fits or the row count cannot be known.
 */
export async function checkRunFitsMemory(spec: PipelineSpec, baseDir: string, machine: MachineMemory = machineMemory()): Promise<MemoryEstimate | undefined> {
  const rows = await estimateSourceRows(spec, baseDir);
  if (!rows) return undefined;
  const est = estimateRunMemory(spec, rows.rows, rows.from, rows.ids);
  if (est.bytes > machine.availableBytes) {
    throw new InputError(
      "E_DATA",
      `source: this run needs about ${gb(est.bytes)} of memory (${est.rows.toLocaleString("en-US")} ratings, from ${est.rowsFrom}) but this machine has ` +
        `${gb(machine.availableBytes)} available (${gb(machine.totalBytes)} total); use fewer ratings (a sample of the file, or a smaller synthetic source), ` +
        `a lower ALS rank, a machine with more memory, or run the pipeline on a Spark cluster with --remote sc://HOST:PORT`,
    );
  }
  return est;
}

export function gb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}
