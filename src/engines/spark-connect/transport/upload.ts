import { createHash } from "node:crypto";
import { create, toBinary } from "@bufbuild/protobuf";
import { DataType, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import type { SparkConnectClient } from "./client.js";
import { LocalRelationSchema, type Relation } from "../gen/spark/connect/relations_pb.js";
import { cachedLocalRelation, unionAll } from "./plan.js";

/**
 * Bytes per uploaded piece: far under Spark Connect's 128 MiB message limit, so an AddArtifacts message (the piece
 * plus a few bytes of framing) always fits, and small enough that the server parses several in parallel.
 */
export const UPLOAD_PIECE_BYTES = 16 * 1024 * 1024;

/**
 * Uploads a local table to the session's artifact cache in pieces (each an Arrow IPC stream wrapped in a LocalRelation,
 * stored as `cache/<sha256>`, as PySpark's createDataFrame does for large data) and returns one relation: the union of
 * the cached pieces. The plan that refers to it is small, so every later request stays small however big the data.
 */
export async function uploadTable(client: SparkConnectClient, table: Table, onPiece?: (done: number, total: number) => void): Promise<Relation> {
  const plain = plainColumns(table);
  const rowsPerPiece = Math.max(1, Math.floor(UPLOAD_PIECE_BYTES / Math.max(1, bytesPerRow(plain))));
  const total = Math.max(1, Math.ceil(plain.numRows / rowsPerPiece));
  const hashes: string[] = [];
  // One piece serialized at a time and sent before the next: the client holds the table and one piece, not a copy of
  // the whole table in pieces.
  for (let k = 0; k < total; k++) {
    const slice = plain.slice(k * rowsPerPiece, Math.min(plain.numRows, (k + 1) * rowsPerPiece));
    const blob = toBinary(LocalRelationSchema, create(LocalRelationSchema, { data: tableToIPC(slice, "stream") }));
    const hash = createHash("sha256").update(blob).digest("hex");
    await client.addArtifacts(
      [{ case: "batch", value: { artifacts: [{ name: `cache/${hash}`, data: { data: blob, crc: BigInt(crc32(blob)) } }] } }],
      "uploading the data",
    );
    hashes.push(hash);
    onPiece?.(k + 1, total);
  }
  return unionAll(hashes.map(cachedLocalRelation));
}

/** Spark reads plain Arrow columns: dictionary-encoded strings are decoded (Spark has no dictionary type). */
function plainColumns(table: Table): Table {
  const cols: Record<string, Vector> = {};
  let changed = false;
  for (const f of table.schema.fields) {
    const v = table.getChild(f.name)!;
    if (DataType.isDictionary(f.type)) {
      changed = true;
      cols[f.name] = vectorFromArray(
        Array.from(v, (x) => (x === null ? null : String(x))),
        new Utf8(),
      );
    } else cols[f.name] = v;
  }
  return changed ? new Table(cols) : table;
}

function bytesPerRow(t: Table): number {
  if (t.numRows === 0) return 1;
  const sample = t.slice(0, Math.min(t.numRows, 10_000));
  return tableToIPC(sample, "stream").byteLength / sample.numRows;
}

let crcTable: Int32Array | undefined;
/** CRC-32 (IEEE), which AddArtifacts checks each chunk against. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
