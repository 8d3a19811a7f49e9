import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { InputRecord } from "../engines/engine.js";
import type { FunnelStep } from "../prepare/funnel.js";
import type { AlsKernelName } from "../kernels/als-kernel-choice.js";

/** What the manifest says about one artefact file. */
export interface ArtefactRecord {
  path: string;
  bytes: number;
  sha256: string;
  /**
   * Written by earlier versions for Parquet files (sha256 of the decoded rows); no longer written nor read: reproduce
   * decodes two Parquet files when their bytes differ.
   */
  contentSha256?: string;
}

export interface Manifest {
  recpipeVersion: string;
  nodeVersion: string;
  platform: string;
  createdAt: string;
  seed: number;
  workers: number;
  /**
   * Local engine: the build of the kernels that ran (als: "simd128", portable, or "simd128-fma", whose last bits
   * depend on the CPU); `reproduce` re-runs with the same one. Absent in run directories from before it was recorded.
   */
  kernels?: { als: AlsKernelName };
  /** "local", or "spark-connect" with the server's Spark version and URL (never a token). */
  engine: string;
  sparkVersion?: string;
  remote?: string;
  pipelineFile: string;
  pipelineSha256: string;
  overrides: string[];
  inputs: InputRecord[];
  artefacts: ArtefactRecord[];
  timingsSeconds: Record<string, number>;
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  /** Rows, distinct users and items after reading and after each prepare step; `reproduce` compares it. */
  prepare?: FunnelStep[];
}

export function sha256Text(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

let version: string | undefined;
/** recpipe's version from its package.json (two levels above src/run in both src and dist layouts). */
export function recpipeVersion(): string {
  if (version) return version;
  const here = fileURLToPath(new URL(".", import.meta.url));
  for (const up of ["../..", "../../.."]) {
    try {
      const pkg = JSON.parse(readFileSync(join(here, up, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "recpipe" && pkg.version) return (version = pkg.version);
    } catch {
      // try the next level
    }
  }
  return (version = "0.0.0");
}
