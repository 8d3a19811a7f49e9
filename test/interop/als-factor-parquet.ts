/**
 * Writes ALS factor tables (`id`, `features`) as Parquet with parquet-wasm (arrow-rs), the way recpipe's model
 * store does, with every knob that might matter to Spark's reader exposed, so the interop tests can prove which
 * variants Spark's ALSModel.load accepts (docs/spark-interop.md records the findings).
 */
import { Field, Float32, Float64, Int32, Int64, List, RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from "apache-arrow";
import * as pw from "parquet-wasm";

/** One factor matrix: row r has id ids[r] and features values[r*rank .. (r+1)*rank). */
export interface FactorMatrix {
  ids: Int32Array;
  values: Float32Array;
  rank: number;
}

export interface FactorParquetOptions {
  /** Arrow name of the list child; Spark (parquet-mr) writes "element". */
  listElementName?: string;
  /** Spark writes `element` as required (containsNull=false). */
  elementNullable?: boolean;
  /** Spark writes `features` as an optional group (nullable=true). */
  featuresNullable?: boolean;
  /** Add the `org.apache.spark.sql.parquet.row.metadata` key Spark itself writes. */
  sparkRowMetadata?: boolean;
  idType?: "int32" | "int64";
  featureType?: "float32" | "float64";
  compression?: "snappy" | "zstd" | "uncompressed";
  writerVersion?: "v1" | "v2";
}

/** Spark's own row schema for ALS factors, as Spark 3.x writes it into the Parquet footer. */
export const SPARK_FACTOR_ROW_METADATA =
  '{"type":"struct","fields":[{"name":"id","type":"integer","nullable":false,"metadata":{}},' +
  '{"name":"features","type":{"type":"array","elementType":"float","containsNull":false},"nullable":true,"metadata":{}}]}';

export function factorTable(m: FactorMatrix, opts: FactorParquetOptions = {}): Table {
  const n = m.ids.length;
  const idType = opts.idType === "int64" ? new Int64() : new Int32();
  const idValues = opts.idType === "int64" ? BigInt64Array.from(m.ids, (v) => BigInt(v)) : m.ids;
  const elemType = opts.featureType === "float64" ? new Float64() : new Float32();
  const elemValues = opts.featureType === "float64" ? Float64Array.from(m.values) : m.values;
  const elemField = new Field(opts.listElementName ?? "element", elemType, opts.elementNullable ?? false);
  const listType = new List(elemField);
  const offsets = Int32Array.from({ length: n + 1 }, (_, r) => r * m.rank);
  const fields = [new Field("id", idType, false), new Field("features", listType, opts.featuresNullable ?? true)];
  const idData = makeData({ type: idType, length: n, nullCount: 0, data: idValues } as never);
  const elemData = makeData({ type: elemType, length: n * m.rank, nullCount: 0, data: elemValues } as never);
  const listData = makeData({ type: listType, length: n, nullCount: 0, valueOffsets: offsets, child: elemData } as never);
  const struct = makeData({ type: new Struct(fields), length: n, nullCount: 0, children: [idData, listData] });
  return new Table([new RecordBatch(new Schema(fields), struct)]);
}

export function factorParquetBytes(m: FactorMatrix, opts: FactorParquetOptions = {}): Uint8Array {
  const wasmTable = pw.Table.fromIPCStream(tableToIPC(factorTable(m, opts), "stream"));
  const compression = {
    snappy: pw.Compression.SNAPPY,
    zstd: pw.Compression.ZSTD,
    uncompressed: pw.Compression.UNCOMPRESSED,
  }[opts.compression ?? "snappy"];
  let props = new pw.WriterPropertiesBuilder()
    .setCompression(compression)
    .setDictionaryEnabled(false)
    .setWriterVersion(opts.writerVersion === "v2" ? pw.WriterVersion.V2 : pw.WriterVersion.V1);
  if (opts.sparkRowMetadata ?? true) {
    props = props.setKeyValueMetadata(new Map([["org.apache.spark.sql.parquet.row.metadata", SPARK_FACTOR_ROW_METADATA]]));
  }
  return pw.writeParquet(wasmTable, props.build());
}
