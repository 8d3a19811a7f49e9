import { DataType, Table, tableFromIPC, type RecordBatch } from "apache-arrow";
import { takeRows } from "../../../core/table.js";
import type { ExecutePlanResponse } from "../gen/spark/connect/base_pb.js";

/**
 * The Arrow batches of an ExecutePlan result as one Table. Each ArrowBatch holds a self-contained Arrow IPC stream
 * (schema + batch); an empty result still carries the schema in its only batch.
 */
export function arrowResult(responses: ExecutePlanResponse[]): Table {
  const batches: RecordBatch[] = [];
  let empty: Table | undefined;
  for (const r of responses) {
    if (r.responseType.case !== "arrowBatch") continue;
    const t = tableFromIPC(r.responseType.value.data);
    if (t.batches.length === 0) empty ??= t;
    batches.push(...t.batches);
  }
  if (batches.length === 1) return new Table(batches);
  // One contiguous batch for flat tables (rows recpipe's stages transform: the columns they add are one chunk and
  // must line up with the others). Nested columns (ALS factors, recommendation lists) keep Spark's batches.
  if (batches.length > 1) {
    const t = new Table(batches);
    const flat = t.schema.fields.every((f) => DataType.isInt(f.type) || DataType.isFloat(f.type) || DataType.isBool(f.type) || DataType.isUtf8(f.type));
    return flat
      ? takeRows(
          t,
          Int32Array.from({ length: t.numRows }, (_, i) => i),
        )
      : t;
  }
  return empty ?? new Table();
}
