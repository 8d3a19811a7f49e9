import { Table, tableFromIPC, type RecordBatch } from "apache-arrow";
import type { ExecutePlanResponse } from "./gen/spark/connect/base_pb.js";

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
  if (batches.length > 0) return new Table(batches);
  return empty ?? new Table();
}
