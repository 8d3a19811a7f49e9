import path from "node:path";

/** The table formats recpipe reads (and, but for arrow, a Spark cluster reads too). */
export type TableFormat = "csv" | "tsv" | "jsonl" | "parquet" | "arrow";

/** One table for both engines: a local file and a cluster path with the same extension are read as the same format. */
const EXTENSIONS: Record<string, TableFormat> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".data": "tsv",
  ".base": "tsv",
  ".test": "tsv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".json": "jsonl",
  ".parquet": "parquet",
  ".arrow": "arrow",
  ".feather": "arrow",
  ".ipc": "arrow",
  ".arrows": "arrow",
};

/** The format a file name's extension implies, or undefined when the extension says nothing. */
export function formatFromExtension(file: string): TableFormat | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

/** Every extension recpipe knows, with its format (for tests and messages). */
export function knownExtensions(): Readonly<Record<string, TableFormat>> {
  return EXTENSIONS;
}
