import { createHash } from "node:crypto";
import { lstat, mkdir, readFile, readdir, realpath } from "node:fs/promises";
import path from "node:path";
import type { SavedStage } from "../core/saved-stage.js";
import { InputError } from "../core/errors.js";
import { writeDirAtomically } from "./atomic-dir.js";
import { verifyCrcIfPresent, writeFileWithCrc } from "./hadoop-crc.js";
import { decodeMetadata, encodeMetadata } from "./model-metadata.js";
import { writeParquetBytes } from "./parquet-codec.js";
import { isDataPartFile, readParquetPath } from "./read-table.js";

/**
 * Spark's MLWriter layout for a SavedStage tree:
 *   <dir>/metadata/part-00000 (+ _SUCCESS)          one compact JSON line
 *   <dir>/<table>/part-00000-<uuid>-c000.snappy.parquet (+ _SUCCESS)
 *   <dir>/<child.path>/...                          nested stages
 * Every file gets Hadoop's `.<name>.crc` checksum beside it, as Spark's writer does, so Spark and recpipe can tell a
 * damaged file on load. The uuid is derived from uid and table name, so saving the same model twice gives the same tree, byte for byte
 * (with the timestamp taken from `saved.timestamp`). The whole tree is written atomically.
 */
export async function saveModel(dir: string, saved: SavedStage, opts: { overwrite?: boolean } = {}): Promise<void> {
  // Nested stages share the top-level save time, so a model saved with a given timestamp is byte-identical throughout.
  const timestamp = saved.timestamp ?? Date.now();
  await writeDirAtomically(dir, (tmp) => writeStage(tmp, { ...saved, timestamp }, dir), { overwrite: opts.overwrite });
}

/** Deterministic stand-in for Spark's per-job random UUID in part file names. */
export function partFileUuid(uid: string, tableName: string): string {
  const h = createHash("sha256").update(`${uid}/${tableName}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function checkRelativePath(p: string, where: string): void {
  const norm = path.posix.normalize(p);
  if (p === "" || path.isAbsolute(p) || norm.startsWith("..") || norm === "." || p.includes("\\")) {
    throw new Error(`${where}: child path "${p}" must be a relative path inside the stage directory`);
  }
}

async function writeStage(stageDir: string, saved: SavedStage, where: string): Promise<void> {
  const metaDir = path.join(stageDir, "metadata");
  await mkdir(metaDir, { recursive: true });
  await writeFileWithCrc(path.join(metaDir, "part-00000"), encodeMetadata(saved, where) + "\n");
  await writeFileWithCrc(path.join(metaDir, "_SUCCESS"), "");
  for (const [name, table] of Object.entries(saved.tables ?? {})) {
    checkRelativePath(name, where);
    if (name === "metadata") throw new Error(`${where}: a table cannot be named "metadata"`);
    const tableDir = path.join(stageDir, name);
    await mkdir(tableDir, { recursive: true });
    const file = `part-00000-${partFileUuid(saved.uid, name)}-c000.snappy.parquet`;
    await writeFileWithCrc(path.join(tableDir, file), writeParquetBytes(table));
    await writeFileWithCrc(path.join(tableDir, "_SUCCESS"), "");
  }
  for (const child of saved.children ?? []) {
    checkRelativePath(child.path, where);
    await writeStage(path.join(stageDir, child.path), { ...child.stage, timestamp: child.stage.timestamp ?? saved.timestamp }, `${where}/${child.path}`);
  }
}

/**
 * Reads a model directory written by recpipe or by Spark 2.3-4.x into a SavedStage tree. Children are found by
 * shape: `stages/<i>_<uid>` in index order, then any other subfolder holding `metadata/` (bestModel, estimator,
 * evaluator, subModels/fold0/1, ...); a subfolder with Parquet part files is a table. Symlinks and anything that
 * resolves outside the model directory are refused. Every metadata and Parquet part with a `.crc` beside it (Spark's
 * and recpipe's writers add them) is checked against it first: damage is an error naming the file, never data. A part
 * without one still loads, since older and hand-assembled model directories have none.
 */
export async function loadSavedStage(dir: string): Promise<SavedStage> {
  let root: string;
  try {
    root = await realpath(dir);
  } catch (e) {
    throw new InputError("E_MODEL", `${dir}: model directory not found (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const s = await lstat(root);
  if (!s.isDirectory()) throw new InputError("E_MODEL", `${dir}: not a directory; a model is a directory with metadata/`);
  return readStage(root, root, dir);
}

interface Entry {
  name: string;
  full: string;
  isDir: boolean;
}

async function entriesOf(dirFull: string, root: string, shown: string): Promise<Entry[]> {
  const real = await realpath(dirFull);
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new InputError("E_MODEL", `${shown}: resolves outside the model directory`);
  }
  const out: Entry[] = [];
  for (const d of await readdir(dirFull, { withFileTypes: true })) {
    if (d.isSymbolicLink()) throw new InputError("E_MODEL", `${shown}/${d.name}: is a symbolic link; model directories must not contain links`);
    out.push({ name: d.name, full: path.join(dirFull, d.name), isDir: d.isDirectory() });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function readStage(stageFull: string, root: string, shown: string): Promise<SavedStage> {
  const entries = await entriesOf(stageFull, root, shown);
  const meta = entries.find((e) => e.name === "metadata");
  if (!meta || !meta.isDir) throw new InputError("E_MODEL", `${shown}: no metadata/ folder; this is not a saved Spark ML stage or model`);
  const metaFiles = (await entriesOf(meta.full, root, `${shown}/metadata`)).filter((e) => !e.isDir && e.name.startsWith("part-") && !e.name.endsWith(".crc"));
  if (metaFiles.length === 0) throw new InputError("E_MODEL", `${shown}/metadata: no part-* file`);
  let saved: SavedStage | undefined;
  for (const f of metaFiles) {
    await verifyCrcIfPresent(f.full, `${shown}/metadata/${f.name}`);
    const text = await readFile(f.full, "utf8");
    if (text.trim() === "") continue; // Spark 4 may write empty extra parts
    saved = decodeMetadata(text, `${shown}/metadata/${f.name}`);
    break;
  }
  if (!saved) throw new InputError("E_MODEL", `${shown}/metadata: metadata files are empty`);
  saved.origin = shown;

  const tables: Record<string, import("apache-arrow").Table> = {};
  const children: { path: string; stage: SavedStage }[] = [];
  for (const e of entries) {
    if (!e.isDir || e.name === "metadata" || !isDataPartFile(e.name)) continue;
    if (e.name === "stages") {
      children.push(...(await readPipelineStages(e.full, root, `${shown}/stages`)));
    } else {
      await discover(e.full, e.name, root, `${shown}/${e.name}`, tables, children);
    }
  }
  if (Object.keys(tables).length > 0) saved.tables = tables;
  if (children.length > 0) saved.children = children;
  return saved;
}

/** `stages/<i>_<uid>` in numeric index order (Spark zero-pads to the digit count, but sort by value anyway). */
async function readPipelineStages(stagesFull: string, root: string, shown: string): Promise<{ path: string; stage: SavedStage }[]> {
  const dirs = (await entriesOf(stagesFull, root, shown)).filter((e) => e.isDir && isDataPartFile(e.name));
  const indexed = dirs.map((d) => {
    const m = /^(\d+)_/.exec(d.name);
    if (!m) throw new InputError("E_MODEL", `${shown}/${d.name}: expected a stage folder named <index>_<uid>`);
    return { index: Number(m[1]), dir: d };
  });
  indexed.sort((a, b) => a.index - b.index);
  const out: { path: string; stage: SavedStage }[] = [];
  for (const { dir } of indexed) out.push({ path: `stages/${dir.name}`, stage: await readStage(dir.full, root, `${shown}/${dir.name}`) });
  return out;
}

async function discover(
  full: string,
  rel: string,
  root: string,
  shown: string,
  tables: Record<string, import("apache-arrow").Table>,
  children: { path: string; stage: SavedStage }[],
): Promise<void> {
  const entries = await entriesOf(full, root, shown);
  if (entries.some((e) => e.isDir && e.name === "metadata")) {
    children.push({ path: rel, stage: await readStage(full, root, shown) });
    return;
  }
  const parts = entries.filter((e) => !e.isDir && isDataPartFile(e.name) && e.name.endsWith(".parquet"));
  if (parts.length > 0) {
    for (const p of parts) await verifyCrcIfPresent(p.full, `${shown}/${p.name}`);
    try {
      tables[rel] = await readParquetPath(full);
    } catch (err) {
      throw new InputError("E_MODEL", `${shown}: unreadable Parquet (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
    return;
  }
  for (const e of entries) {
    if (e.isDir && isDataPartFile(e.name)) await discover(e.full, `${rel}/${e.name}`, root, `${shown}/${e.name}`, tables, children);
  }
}
