import { Dictionary, Int32, makeData, makeVector, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import type { IdLabels } from "./id-labels.js";

/** Original ids as a dictionary-encoded string column sharing the indexer's labels, or the integer ids. */
export function originalIdColumn(codes: Int32Array, ids: IdLabels): Vector {
  if (!ids.indexed) return makeVector(codes);
  const labels: string[] = [];
  const remap = new Map<number, number>();
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    let c = remap.get(codes[i]);
    if (c === undefined) {
      c = labels.length;
      labels.push(String(ids.original(codes[i])));
      remap.set(codes[i], c);
    }
    out[i] = c;
  }
  const dict = vectorFromArray(labels, new Utf8());
  return makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length: out.length, nullCount: 0, data: out, dictionary: dict }));
}
