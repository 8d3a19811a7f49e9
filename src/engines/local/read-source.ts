import { displayPath } from "../../io/display-path.js";
import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../../core/errors.js";
import { LEADING_ZEROS_KEY } from "../../core/table.js";
import type { Schema, Table } from "apache-arrow";
import type { ProgressSink } from "../../core/run-context.js";
import { readTable, readTableSample } from "../../io/read-table.js";
import { formatFromExtension } from "../../io/table-format.js";
import { sha256PathBeside } from "../../io/hash-path.js";
import type { SourceSpec } from "../../spec/spec.js";
import { syntheticRatings } from "../../io/synthetic-ratings.js";
import type { InputRecord } from "../engine.js";

export async function readSource(
  source: SourceSpec,
  baseDir: string,
  seed: number,
  progress: ProgressSink,
  warn: (m: string) => void = () => undefined,
  workers = 1,
): Promise<{ table: Table; input: InputRecord }> {
  if (source.kind === "synthetic") {
    const { kind: _k, ...params } = source;
    const table = syntheticRatings(source, seed).table;
    return { table, input: { kind: "synthetic", rows: table.numRows, params: { ...params, seed: source.seed ?? seed } } };
  }
  const path = isAbsolute(source.path) ? source.path : resolve(baseDir, source.path);
  // Messages about the data name it as the user would type it: relative to the working directory when inside it.
  const shown = displayPath(path);
  if (!existsSync(path)) {
    throw new InputError(
      "E_FILE",
      `source.path: data file ${shown} does not exist (path "${source.path}" resolves from the pipeline file's folder ${displayPath(baseDir)})`,
    );
  }
  refuseNullValuesForBinary(source, path);
  let task: ReturnType<ProgressSink["start"]> | undefined;
  // The manifest's digest of the source, computed while the file is parsed (not after it); awaited below.
  const hashing = sha256PathBeside(path);
  // A read that fails first leaves this promise unawaited: its own failure then says nothing.
  hashing.catch(() => undefined);
  const table = await readTable(shown, {
    format: source.format,
    header: source.header,
    columns: source.columns,
    delimiter: source.delimiter,
    encoding: source.encoding,
    types: source.types,
    nullValues: source.nullValues,
    workers,
    onProgress: (done: number, total: number) => {
      task ??= progress.start(`reading ${source.path}`, total, "B");
      task.tick(done);
    },
  });
  task?.done();
  for (const f of table.schema.fields) {
    const lost = f.metadata.get(LEADING_ZEROS_KEY);
    if (lost)
      warn(
        `source: column "${f.name}" was read as numbers, so ids written with leading zeros lose them: ${lost}; to keep them as written, declare \`types: {${f.name}: string}\` in source`,
      );
  }
  const st = statSync(path);
  return { table, input: { kind: "file", path, bytes: st.isFile() ? st.size : undefined, sha256: await hashing, rows: table.numRows } };
}

/**
 * The schema of a source from its first rows (synthetic: a tiny sample of the same shape), for `recpipe validate`:
 * the file is checked to exist and to parse, but never read whole or hashed, so validating a 25M-row file is instant.
 */
export async function readSourceSchema(source: SourceSpec, baseDir: string, seed: number): Promise<Schema> {
  if (source.kind === "synthetic") return syntheticRatings({ ...source, users: 2, items: 2, density: 1 }, seed).table.schema;
  const path = isAbsolute(source.path) ? source.path : resolve(baseDir, source.path);
  if (!existsSync(path)) {
    throw new InputError(
      "E_FILE",
      `source.path: data file ${displayPath(path)} does not exist (path "${source.path}" resolves from the pipeline file's folder ${displayPath(baseDir)})`,
    );
  }
  refuseNullValuesForBinary(source, path);
  const { format, header, columns, delimiter, encoding, types, nullValues } = source;
  return (await readTableSample(displayPath(path), { format, header, columns, delimiter, encoding, types, nullValues })).schema;
}

/** Parquet and Arrow files store their nulls: a list of strings to read as null means the user expected a text file. */
function refuseNullValuesForBinary(source: SourceSpec & { kind: "file" }, path: string): void {
  const format = source.format ?? formatFromExtension(path) ?? (statSync(path).isDirectory() ? "parquet" : undefined);
  if (source.nullValues !== undefined && (format === "parquet" || format === "arrow")) {
    throw new InputError(
      "E_SPEC",
      `source.nullValues: applies to csv, tsv and jsonl files; ${displayPath(path)} is ${format}, which stores its nulls itself: remove nullValues`,
    );
  }
}
