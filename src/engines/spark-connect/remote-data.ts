import { makeVector, Table } from "apache-arrow";
import { didYouMean, InputError } from "../../core/errors.js";
import type { ProgressSink } from "../../core/run-context.js";
import type { InputRecord } from "../engine.js";
import { readSource } from "../local/read-source.js";
import type { SourceSpec } from "../../spec/spec.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import type { SparkMl } from "./transport/ml.js";
import { readDataSource, sql, toDF } from "./transport/plan.js";
import { isClusterPath } from "./cluster-path.js";
import { ident } from "./transport/sql-text.js";
import { ddlSchema, SPARK_TYPE_OF_DECLARED, sparkTypeOfArrow } from "./spark-ddl.js";
import { uploadTable } from "./transport/upload.js";
import { POSITION_COL } from "./stages/index.js";
import { formatFromExtension, type TableFormat } from "../../io/table-format.js";

export interface RemoteData {
  relation: Relation;
  input: InputRecord;
  rows: number;
  /** The rows, when recpipe read them itself (local file or built-in source) before uploading them. */
  table?: Table;
  /** The relation carries POSITION_COL, each row's position in the file (asked for, and the file read here). */
  positioned: boolean;
}

/**
 * The pipeline's source as a relation on the cluster. A path with a scheme the cluster reads (s3a://, hdfs://, ...)
 * is read by the cluster; a local file or the built-in source is read here, exactly as the local engine reads it
 * (same parser, same types), and uploaded.
 */
export async function remoteSource(
  ml: SparkMl,
  source: SourceSpec,
  baseDir: string,
  seed: number,
  progress: ProgressSink,
  withPosition = false,
): Promise<RemoteData> {
  if (source.kind === "file" && isClusterPath(source.path)) {
    let rel = withColumnNames(source, clusterRead(source));
    if (source.types && Object.keys(source.types).length > 0) rel = await withDeclaredTypes(ml, source, rel);
    const counted = await ml.collect(sql("SELECT count(*) AS n FROM {d}", { d: rel }), `counting the rows of ${source.path}`);
    const rows = Number(counted.getChild("n")!.get(0));
    // Spark keeps no file order (splits are read in any order, by size): a file the cluster reads has no known position.
    return { relation: rel, rows, input: { kind: "file", path: source.path, rows }, positioned: false };
  }
  const { table, input } = await readSource(source, baseDir, seed, progress);
  const bar = progress.start("uploading the data to Spark", 1, "pieces");
  // The position is the row's index in the table as read here, which is the file order the local engine sees.
  const uploaded = withPosition ? table.assign(new Table({ [POSITION_COL]: makeVector(Int32Array.from({ length: table.numRows }, (_, i) => i)) })) : table;
  const relation = await uploadTable(ml.client, uploaded, (done, total) => {
    bar.tick(done / total);
  });
  bar.done();
  return { relation, rows: table.numRows, input, table, positioned: withPosition };
}

function clusterRead(source: Extract<SourceSpec, { kind: "file" }>, schema?: string): Relation {
  const format = clusterFormat(source);
  const header = String(source.header ?? source.columns === undefined);
  switch (format) {
    case "csv":
    case "tsv":
      return readDataSource(
        "csv",
        [source.path],
        {
          header,
          inferSchema: String(schema === undefined),
          sep: source.delimiter ?? (format === "tsv" ? "\t" : ","),
          encoding: source.encoding === "latin1" ? "ISO-8859-1" : "UTF-8",
        },
        schema,
      );
    case "jsonl":
      return readDataSource("json", [source.path], {}, schema);
    default:
      return readDataSource("parquet", [source.path]);
  }
}

/**
 * `source.types` on a file the cluster reads: as the local reader, declared columns are parsed as declared (a string id
 * keeps its leading zeros) and the others inferred. Spark's readers take one schema for all columns, so the file is
 * read once with inference to learn the other columns' types, then again with the full schema. Parquet carries its
 * own types and ignores `types`, as locally.
 */
async function withDeclaredTypes(ml: SparkMl, source: Extract<SourceSpec, { kind: "file" }>, inferred: Relation): Promise<Relation> {
  const format = clusterFormat(source);
  if (format !== "csv" && format !== "tsv" && format !== "jsonl") return inferred;
  const declared = source.types!;
  const schema = (await ml.collect(sql("SELECT * FROM {d} LIMIT 0", { d: inferred }), `reading the columns of ${source.path}`)).schema;
  const names = schema.fields.map((f) => f.name);
  for (const key of Object.keys(declared)) {
    if (!names.includes(key))
      throw new InputError("E_COLUMN", `source.types.${key}: ${source.path} has no column "${key}"${didYouMean(key, names)}; columns are ${names.join(", ")}`);
  }
  const fields = schema.fields.map((f) => {
    const type = declared[f.name] ? SPARK_TYPE_OF_DECLARED[declared[f.name]] : sparkTypeOfArrow(f.type);
    if (!type)
      throw new InputError(
        "E_COLUMN",
        `source.types: Spark read column "${f.name}" of ${source.path} as ${String(f.type)}, which recpipe cannot restate; declare its type in source.types too`,
      );
    return { name: f.name, type };
  });
  // The schema's names are the final ones (after `columns`): Spark applies a given schema to CSV by position (the
  // header's names give way) and to JSON by name.
  const reread = clusterRead(source, ddlSchema(fields));
  return format === "jsonl" ? withColumnNames(source, reread) : reread;
}

/** `source.columns` as the local reader applies it: names a CSV file's columns in order; picks JSON/Parquet columns. */
function withColumnNames(source: Extract<SourceSpec, { kind: "file" }>, rel: Relation): Relation {
  if (!source.columns) return rel;
  const format = clusterFormat(source);
  if (format === "csv" || format === "tsv") return toDF(rel, source.columns);
  return sql(`SELECT ${source.columns.map(ident).join(", ")} FROM {d}`, { d: rel });
}

/**
 * The format the cluster reads a path as: the one the local engine would (io/table-format.ts, one table for both),
 * and a Parquet folder, as Spark writes one, when the extension says nothing.
 */
export function clusterFormat(source: Pick<Extract<SourceSpec, { kind: "file" }>, "path" | "format">): TableFormat {
  return source.format ?? formatFromExtension(source.path) ?? "parquet";
}
