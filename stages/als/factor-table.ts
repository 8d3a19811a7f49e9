import { DataType, Field, Float32, Int32, List, makeData, makeVector, Table } from "apache-arrow";
import { InputError } from "../../src/core/errors.js";
import { isValid } from "../../src/core/table.js";
import type { FactorSet } from "./recommend.js";

/**
 * ALS factors as Spark stores them: `id: int32 not null, features: list<float32 not null>` (ALSModelWriter).
 * Rows are written in ascending id order, so the same model always gives the same Parquet bytes.
 */
export function factorTable(f: FactorSet): Table {
  const n = f.ids.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) offsets[i] = i * f.rank;
  const child = makeData({ type: new Float32(), length: f.factors.length, nullCount: 0, data: f.factors });
  const listType = new List(new Field("element", new Float32(), false));
  const features = makeVector(makeData({ type: listType, length: n, nullCount: 0, valueOffsets: offsets, child }));
  const id = makeVector(makeData({ type: new Int32(), length: n, nullCount: 0, data: f.ids }));
  return new Table({ id, features });
}

/** Reads a factor table (Spark's or recpipe's, rows in any order, several chunks) into ascending-id FactorSet. */
export function factorSetFrom(t: Table, rank: number, where: string): FactorSet {
  const idCol = t.getChild("id");
  const feat = t.getChild("features");
  if (!idCol || !feat)
    throw new InputError("E_MODEL", `${where}: a factor table needs columns id and features; found ${t.schema.fields.map((f) => f.name).join(", ")}`);
  if (!(DataType.isInt(idCol.type) && idCol.type.bitWidth === 32))
    throw new InputError("E_MODEL", `${where}: column id must be int32; found ${String(idCol.type)}`);
  if (!DataType.isList(feat.type) || !DataType.isFloat(feat.type.children[0].type) || feat.type.children[0].type.precision !== 1) {
    throw new InputError("E_MODEL", `${where}: column features must be list<float32>; found ${String(feat.type)}`);
  }
  const n = t.numRows;
  const ids = new Int32Array(n);
  const values = new Float32Array(n * rank);
  let row = 0;
  for (let c = 0; c < feat.data.length; c++) {
    const d = feat.data[c];
    const idData = idCol.data[c];
    const offs = d.valueOffsets as Int32Array;
    const child = d.children[0];
    const vals = child.values as Float32Array;
    for (let i = 0; i < d.length; i++, row++) {
      if (!isValid(d.nullBitmap, d.offset + i) && d.nullCount > 0) throw new InputError("E_MODEL", `${where}: row ${row} has null features`);
      const s = offs[d.offset + i],
        e = offs[d.offset + i + 1];
      if (e - s !== rank) throw new InputError("E_MODEL", `${where}: rank is ${rank} in the metadata but row ${row} has ${e - s} features`);
      ids[row] = (idData.values as Int32Array)[idData.offset + i];
      const features = vals.subarray(child.offset + s, child.offset + e);
      // ALS never produces an infinite or NaN factor; one here means the file was damaged, and would poison every score.
      for (let j = 0; j < rank; j++) {
        if (!Number.isFinite(features[j]))
          throw new InputError("E_MODEL", `${where}: row ${row} (id ${ids[row]}) has a non-finite feature (${features[j]}); the factors are damaged`);
      }
      values.set(features, row * rank);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a] - ids[b]);
  const sortedIds = new Int32Array(n);
  const sorted = new Float32Array(n * rank);
  order.forEach((src, dst) => {
    sortedIds[dst] = ids[src];
    sorted.set(values.subarray(src * rank, src * rank + rank), dst * rank);
  });
  for (let i = 1; i < n; i++) if (sortedIds[i] === sortedIds[i - 1]) throw new InputError("E_MODEL", `${where}: id ${sortedIds[i]} appears twice`);
  return { ids: sortedIds, factors: sorted, rank };
}
