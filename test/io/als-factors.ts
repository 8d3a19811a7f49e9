import { Field, Float32, Int32, List, RecordBatch, Schema, Struct, Table, makeData } from "apache-arrow";

/** Spark's ALS factor schema: id int32 not null, features list<float32 not null>. */
export function alsFactorTable(ids: number[], rank: number, seed = 1): Table {
  const n = ids.length;
  const values = new Float32Array(n * rank);
  let s = seed;
  for (let i = 0; i < values.length; i++) values[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5;
  const listType = new List(new Field("element", new Float32(), false));
  const idData = makeData({ type: new Int32(), length: n, data: Int32Array.from(ids) });
  const featData = makeData({
    type: listType,
    length: n,
    valueOffsets: Int32Array.from({ length: n + 1 }, (_, i) => i * rank),
    child: makeData({ type: new Float32(), length: n * rank, data: values }),
  });
  const fields = [new Field("id", new Int32(), false), new Field("features", listType, true)];
  return new Table([new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, children: [idData, featData] }))]);
}
