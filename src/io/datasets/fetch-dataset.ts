import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError, didYouMean } from "../../core/errors.js";
import { listDatasets, type DatasetInfo } from "./catalogue.js";
import { downloadToFile } from "./download-to-file.js";
import { entryDestination, unzipSafely } from "./unzip-safely.js";

export interface FetchDatasetOptions {
  /** Parent folder; the dataset lands in `<dir>/<name>/`. */
  dir: string;
  /** Base URL that replaces the publisher's origin, keeping the path (default: env RECPIPE_DATASETS_MIRROR). */
  mirror?: string;
  onProgress?: (done: number, total?: number) => void;
  fetchImpl?: typeof fetch;
  /** Replaces the built-in catalogue (tests serve fixture archives with their own checksums). */
  catalogue?: DatasetInfo[];
}

export interface FetchedDataset {
  dir: string;
  ratingsPath: string;
  verified: "sha256" | "md5";
}

/** Written last into a finished dataset folder; its presence means "downloaded and verified". */
const MARKER = ".recpipe-dataset.json";

export function datasetUrl(info: DatasetInfo, mirror: string | undefined): string {
  if (!mirror) return info.url;
  return mirror.replace(/\/+$/, "") + new URL(info.url).pathname;
}

/**
 * Downloads a catalogue dataset, verifies the archive's checksum before unpacking it, and unpacks it
 * atomically: into a temporary sibling that is renamed into place only once complete, so an
 * interrupted or failed fetch never leaves a folder that looks finished.
 */
export async function fetchDataset(name: string, opts: FetchDatasetOptions): Promise<FetchedDataset> {
  const catalogue = opts.catalogue ?? listDatasets();
  const info = catalogue.find((d) => d.name === name);
  if (!info) {
    const names = catalogue.map((d) => d.name);
    throw new InputError("E_ARGS", `unknown dataset "${name}"${didYouMean(name, names)}; known datasets: ${names.join(", ")}`);
  }
  const expected = expectedChecksum(info);
  const parent = path.resolve(opts.dir);
  const finalDir = path.join(parent, info.name);
  const ratingsPath = entryDestination(finalDir, info.ratingsFile);
  if (ratingsPath === undefined) throw new Error(`catalogue entry ${info.name}: ratingsFile escapes the dataset folder`);

  const existing = await readMarker(finalDir);
  if (existing !== undefined) {
    if (existing.verified === expected.kind && existing.hash === expected.hash && (await exists(ratingsPath))) {
      return { dir: finalDir, ratingsPath, verified: expected.kind };
    }
  }
  if (await exists(finalDir)) {
    throw new InputError("E_FILE", `${finalDir} already exists and is not a verified copy of ${info.name}; ` + "remove it or fetch into another folder");
  }

  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const partFile = path.join(parent, `.${info.name}.${tag}.zip.part`);
  const tmpDir = path.join(parent, `.${info.name}.${tag}.tmp`);
  const url = datasetUrl(info, opts.mirror ?? process.env.RECPIPE_DATASETS_MIRROR);
  try {
    const got = await downloadToFile(url, partFile, opts.fetchImpl ?? fetch, opts.onProgress);
    const found = expected.kind === "sha256" ? got.sha256 : got.md5;
    if (found !== expected.hash) {
      throw new InputError(
        "E_DATA",
        `${url}: ${expected.kind} checksum mismatch: expected ${expected.hash}, ` +
          `found ${found} (${got.bytes} bytes${info.bytes !== undefined ? `, expected ${info.bytes}` : ""}); ` +
          "the download was deleted",
      );
    }
    await mkdir(tmpDir);
    await unzipSafely(await readFile(partFile), tmpDir, url);
    const tmpRatings = entryDestination(tmpDir, info.ratingsFile)!;
    if (!(await exists(tmpRatings))) {
      throw new InputError("E_DATA", `${url}: the archive has no ${info.ratingsFile}`);
    }
    const marker = { name: info.name, url, verified: expected.kind, hash: expected.hash };
    await writeFile(path.join(tmpDir, MARKER), JSON.stringify(marker, null, 2) + "\n");
    await rename(tmpDir, finalDir);
  } catch (e) {
    await rm(tmpDir, { recursive: true, force: true });
    throw e;
  } finally {
    await rm(partFile, { force: true });
  }
  return { dir: finalDir, ratingsPath, verified: expected.kind };
}

function expectedChecksum(info: DatasetInfo): { kind: "sha256" | "md5"; hash: string } {
  if (info.sha256) return { kind: "sha256", hash: info.sha256.toLowerCase() };
  if (info.md5) return { kind: "md5", hash: info.md5.toLowerCase() };
  throw new Error(`catalogue entry ${info.name} has no sha256 or md5`);
}

async function readMarker(dir: string): Promise<{ verified: string; hash: string } | undefined> {
  try {
    const m = JSON.parse(await readFile(path.join(dir, MARKER), "utf8")) as { verified?: unknown; hash?: unknown };
    return typeof m.verified === "string" && typeof m.hash === "string" ? { verified: m.verified, hash: m.hash } : undefined;
  } catch {
    return undefined;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
