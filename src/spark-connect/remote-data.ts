import type { Table } from "apache-arrow";
import type { ProgressSink } from "../core/run-context.js";
import { readSource, type InputRecord } from "../pipeline/read-source.js";
import type { SourceSpec } from "../pipeline/spec.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import type { SparkMl } from "./ml.js";
import { readDataSource, sql, toDF } from "./plan.js";
import { isClusterPath } from "./remote-support.js";
import { uploadTable } from "./upload.js";

export interface RemoteData {
  relation: Relation;
  input: InputRecord;
  rows: number;
  /** The rows, when recpipe read them itself (local file or built-in source) before uploading them. */
  table?: Table;
}

/**
 * The pipeline's source as a relation on the cluster. A path with a scheme the cluster reads (s3a://, hdfs://, ...)
 * is read by the cluster; a local file or the built-in source is read here, exactly as the local engine reads it
 * (same parser, same types), and uploaded.
 */
export async function remoteSource(ml: SparkMl, source: SourceSpec, baseDir: string, seed: number, progress: ProgressSink): Promise<RemoteData> {
  if (source.kind === "file" && isClusterPath(source.path)) {
    let rel = clusterRead(source);
    if (source.columns) rel = toDF(rel, source.columns);
    const counted = await ml.collect(sql("SELECT count(*) AS n FROM {d}", { d: rel }), `counting the rows of ${source.path}`);
    const rows = Number(counted.getChild("n")!.get(0));
    return { relation: rel, rows, input: { kind: "file", path: source.path, rows } };
  }
  const { table, input } = await readSource(source, baseDir, seed, progress);
  const bar = progress.start("uploading the data to Spark", 1, "pieces");
  const relation = await uploadTable(ml.client, table, (done, total) => {
    bar.tick(done / total);
  });
  bar.done();
  return { relation, rows: table.numRows, input, table };
}

function clusterRead(source: Extract<SourceSpec, { kind: "file" }>): Relation {
  const format = source.format ?? guessFormat(source.path);
  const header = String(source.header ?? source.columns === undefined);
  switch (format) {
    case "csv":
    case "tsv":
      return readDataSource("csv", [source.path], {
        header,
        inferSchema: "true",
        sep: source.delimiter ?? (format === "tsv" ? "\t" : ","),
        encoding: source.encoding === "latin1" ? "ISO-8859-1" : "UTF-8",
      });
    case "jsonl":
      return readDataSource("json", [source.path]);
    default:
      return readDataSource("parquet", [source.path]);
  }
}

function guessFormat(path: string): string {
  const p = path.toLowerCase();
  if (p.endsWith(".csv")) return "csv";
  if (p.endsWith(".tsv") || p.endsWith(".data") || p.endsWith(".dat")) return "tsv";
  if (p.endsWith(".jsonl") || p.endsWith(".json")) return "jsonl";
  return "parquet";
}
