/**
 * The CV job both clients run in the Spark Connect benches (pipelines/movielens-100k-cv.yaml with RMSE as its only
 * evaluator and no baselines; pyspark_cv.py the same with PySpark's Connect client), at a size the bench picks, and one timed run of
 * either client. With `profile` the run writes its RPC profile there (RECPIPE_CONNECT_PROFILE; rpc_profile.py).
 */
import { spawnSync } from "node:child_process";

export interface CvJob {
  data: string;
  folds: number;
  ranks: number[];
  regs: number[];
  maxIter: number;
}

/** The pipeline file's own job: 3 folds x (rank 8, 16 x regParam 0.05, 0.1, 0.2), maxIter 10. */
export const FULL_JOB: Omit<CvJob, "data"> = { folds: 3, ranks: [8, 16], regs: [0.05, 0.1, 0.2], maxIter: 10 };

export function recpipeArgs(job: CvJob, remote?: string): string[] {
  return [
    "dist/src/cli/main.js",
    "run",
    "pipelines/movielens-100k-cv.yaml",
    "--json",
    "--quiet",
    "--workers",
    "2",
    "--out",
    ".bench-data/runs",
    "--set",
    `source.path=${job.data}`,
    "--set",
    "evaluate=[{type: regression-evaluator, metricName: rmse}]",
    // The PySpark script scores no baselines: the file asks for none, so both clients do the same work.
    "--set",
    "baselines=[]",
    "--set",
    `tune.numFolds=${job.folds}`,
    "--set",
    `tune.paramGrid={als.rank: [${job.ranks.join(", ")}], als.regParam: [${job.regs.join(", ")}]}`,
    "--set",
    `pipeline.als.maxIter=${job.maxIter}`,
    ...(remote ? ["--remote", remote] : []),
  ];
}

export function pysparkArgs(job: CvJob, url: string): string[] {
  return [
    "bench/spark-connect/pyspark_cv.py",
    url,
    job.data,
    "--folds",
    String(job.folds),
    "--ranks",
    job.ranks.join(","),
    "--regs",
    job.regs.join(","),
    "--max-iter",
    String(job.maxIter),
  ];
}

export interface Timed {
  seconds: number;
  rmse: number;
}

/** Runs one client to the end; its last stdout line is JSON with the test RMSE (recpipe: metrics.rmse). */
export function timed(cmd: string, args: string[], profile?: string): Timed {
  const env = profile ? { ...process.env, RECPIPE_CONNECT_PROFILE: profile } : process.env;
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as { metrics?: { rmse: number }; rmse?: number };
  return { seconds: (performance.now() - t0) / 1000, rmse: out.metrics?.rmse ?? out.rmse! };
}
