import { Table, tableFromIPC, tableToIPC, DataType, type Field } from "apache-arrow";
import * as parquetWasm from "parquet-wasm";

/**
 * Arrow <-> Parquet bytes through parquet-wasm (arrow-rs), exchanging Arrow IPC streams with apache-arrow.
 *
 * Written files are deterministic: parquet-rs writes no timestamps, and the "created_by" string and the embedded
 * ARROW:schema only depend on the library version and the table. Compression is snappy (what Spark writes).
 * Dictionary encoding is enabled only for top-level string columns: it buys nothing for factor vectors
 * (list<float>), whose values are almost all distinct.
 */
export function writeParquetBytes(table: Table, keyValueMetadata?: Map<string, string>): Uint8Array {
  let builder = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setDictionaryEnabled(false)
    .setCreatedBy("recpipe (parquet-rs via parquet-wasm)");
  for (const f of table.schema.fields) {
    if (isStringLike(f)) builder = builder.setColumnDictionaryEnabled(f.name, true);
  }
  if (keyValueMetadata && keyValueMetadata.size > 0) builder = builder.setKeyValueMetadata(keyValueMetadata);
  const props = builder.build();
  const wasmTable = parquetWasm.Table.fromIPCStream(tableToIPC(table, "stream"));
  return parquetWasm.writeParquet(wasmTable, props);
}

export function readParquetBytes(bytes: Uint8Array): Table {
  const wasmTable = parquetWasm.readParquet(bytes);
  return tableFromIPC(wasmTable.intoIPCStream());
}

function isStringLike(f: Field): boolean {
  return DataType.isUtf8(f.type) || DataType.isLargeUtf8(f.type) || (DataType.isDictionary(f.type) && DataType.isUtf8(f.type.dictionary));
}
