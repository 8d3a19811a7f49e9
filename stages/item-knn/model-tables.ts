/**
 * ItemKNNModel's Parquet folders: `neighbours` (id int32, neighbours list<int32>, similarities list<float32>: each
 * item's list, most similar first) and `userRatings` (id int32, items list<int32>, ratings list<float32>: each
 * user's training row, items ascending, duplicates summed), rows in ascending id, so the same model always gives
 * the same bytes. Ids are the model's original ids; reading checks every invariant the kernels rely on.
 */
import { DataType, Field, Float32, Int32, List, makeData, makeVector, Table, type Vector } from "apache-arrow";
import { InputError } from "../../src/core/errors.js";
import { makeIdLookup } from "../../src/kernels/id-lookup.js";
import type { RatingRows } from "../../src/kernels/item-knn-matrix.js";
import type { KernelHome, NeighbourLists } from "./neighbours.js";

export interface ItemKnnState {
  /** Ascending; row u of `rows` is userIds[u]. */
  userIds: Int32Array;
  /** Ascending; dense item index i is itemIds[i]. */
  itemIds: Int32Array;
  rows: RatingRows;
  neighbours: NeighbourLists;
  /** The kernel memory `rows` are views on, after a fit (recommend jobs run there); none for a loaded model. */
  home?: KernelHome;
}

function listVector(type: Int32 | Float32, offsets: Int32Array, values: Int32Array | Float32Array): Vector {
  const child =
    type instanceof Int32
      ? makeData({ type, length: values.length, nullCount: 0, data: values as Int32Array })
      : makeData({ type: type as Float32, length: values.length, nullCount: 0, data: values as Float32Array });
  const listType = new List(new Field("element", child.type, false));
  return makeVector(makeData({ type: listType, length: offsets.length - 1, nullCount: 0, valueOffsets: offsets, child }));
}

function int32Vector(values: Int32Array): Vector {
  return makeVector(makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values }));
}

export function neighboursTable(s: ItemKnnState): Table {
  const { itemIds, neighbours: n } = s;
  const offsets = new Int32Array(itemIds.length + 1);
  for (let i = 0; i < itemIds.length; i++) offsets[i + 1] = offsets[i] + n.counts[i];
  const ids = new Int32Array(offsets[itemIds.length]);
  const sims = new Float32Array(ids.length);
  for (let i = 0; i < itemIds.length; i++) {
    for (let t = 0; t < n.counts[i]; t++) {
      ids[offsets[i] + t] = itemIds[n.idx[i * n.k + t]];
      sims[offsets[i] + t] = n.sims[i * n.k + t];
    }
  }
  return new Table({ id: int32Vector(itemIds), neighbours: listVector(new Int32(), offsets, ids), similarities: listVector(new Float32(), offsets, sims) });
}

export function userRatingsTable(s: ItemKnnState): Table {
  const items = Int32Array.from(s.rows.rowItems, (i) => s.itemIds[i]);
  return new Table({
    id: int32Vector(s.userIds),
    // copies: after a fit the rows are views on the kernel's shared memory, which Arrow's writers should not hold
    items: listVector(new Int32(), s.rows.rowPtr.slice(), items),
    ratings: listVector(new Float32(), s.rows.rowPtr.slice(), s.rows.rowRatings.slice()),
  });
}

/** A table's (id, list<int32>, list<float32>) columns, rows in stored order, nulls and bad types refused. */
function readLists(
  t: Table,
  listCol: string,
  valueCol: string,
  where: string,
): { ids: Int32Array; offsets: Int32Array; lists: Int32Array; values: Float32Array } {
  const names = t.schema.fields.map((f) => f.name);
  const col = (name: string) => {
    const v = t.getChild(name);
    if (!v) throw new InputError("E_MODEL", `${where}: expected columns id, ${listCol}, ${valueCol}; found ${names.join(", ")}`);
    if (v.nullCount > 0) throw new InputError("E_MODEL", `${where}: column ${name} has ${v.nullCount} null rows; expected none`);
    return v;
  };
  const idCol = col("id");
  const lc = col(listCol);
  const vc = col(valueCol);
  const isList = (v: Vector, ok: (t: DataType) => boolean) => DataType.isList(v.type) && ok(v.type.children[0].type);
  if (!(DataType.isInt(idCol.type) && idCol.type.bitWidth === 32))
    throw new InputError("E_MODEL", `${where}: column id must be int32; found ${String(idCol.type)}`);
  if (!isList(lc, (c) => DataType.isInt(c) && c.bitWidth === 32))
    throw new InputError("E_MODEL", `${where}: column ${listCol} must be list<int32>; found ${String(lc.type)}`);
  if (!isList(vc, (c) => DataType.isFloat(c) && c.precision === 1))
    throw new InputError("E_MODEL", `${where}: column ${valueCol} must be list<float32>; found ${String(vc.type)}`);
  const n = t.numRows;
  const ids = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  const listParts: Int32Array[] = [];
  const valueParts: Float32Array[] = [];
  let row = 0;
  for (let c = 0; c < idCol.data.length; c++) {
    const idData = idCol.data[c];
    const ld = lc.data[c];
    const vd = vc.data[c];
    const lOff = ld.valueOffsets as Int32Array;
    const vOff = vd.valueOffsets as Int32Array;
    const lChild = ld.children[0];
    const vChild = vd.children[0];
    for (let i = 0; i < idData.length; i++, row++) {
      ids[row] = (idData.values as Int32Array)[idData.offset + i];
      const ls = lOff[ld.offset + i],
        le = lOff[ld.offset + i + 1];
      const vs = vOff[vd.offset + i],
        ve = vOff[vd.offset + i + 1];
      if (le - ls !== ve - vs) throw new InputError("E_MODEL", `${where}: row ${row} (id ${ids[row]}) has ${le - ls} ${listCol} but ${ve - vs} ${valueCol}`);
      listParts.push((lChild.values as Int32Array).subarray(lChild.offset + ls, lChild.offset + le));
      const vals = (vChild.values as Float32Array).subarray(vChild.offset + vs, vChild.offset + ve);
      for (let j = 0; j < vals.length; j++) {
        if (!Number.isFinite(vals[j]))
          throw new InputError("E_MODEL", `${where}: row ${row} (id ${ids[row]}) has a non-finite ${valueCol} value (${vals[j]}); the file is damaged`);
      }
      valueParts.push(vals);
      offsets[row + 1] = offsets[row] + (le - ls);
    }
  }
  const lists = new Int32Array(offsets[n]);
  const values = new Float32Array(offsets[n]);
  listParts.forEach((part, r) => lists.set(part, offsets[r]));
  valueParts.forEach((part, r) => values.set(part, offsets[r]));
  for (let r = 1; r < n; r++) {
    if (ids[r] <= ids[r - 1]) throw new InputError("E_MODEL", `${where}: ids must be distinct and ascending; row ${r} has id ${ids[r]} after ${ids[r - 1]}`);
  }
  return { ids, offsets, lists, values };
}

/** The model state from its two tables (`at` names the model folder in errors); `k` is the metadata's. */
export function stateFromTables(neighbours: Table, userRatings: Table, k: number, at: string): ItemKnnState {
  const nb = readLists(neighbours, "neighbours", "similarities", `${at}/neighbours`);
  const ur = readLists(userRatings, "items", "ratings", `${at}/userRatings`);
  const itemIds = nb.ids;
  const itemRow = makeIdLookup(itemIds);
  const nItems = itemIds.length;
  const idx = new Int32Array(nItems * k).fill(-1);
  const sims = new Float32Array(nItems * k).fill(NaN);
  const counts = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const len = nb.offsets[i + 1] - nb.offsets[i];
    if (len > k) throw new InputError("E_MODEL", `${at}/neighbours: item ${itemIds[i]} lists ${len} neighbours; the metadata's k is ${k}`);
    counts[i] = len;
    for (let t = 0; t < len; t++) {
      const id = nb.lists[nb.offsets[i] + t];
      const j = itemRow(id);
      if (j < 0 || j === i)
        throw new InputError(
          "E_MODEL",
          `${at}/neighbours: item ${itemIds[i]} lists ${j < 0 ? "unknown item" : "itself as"} ${id}; expected other items of the model`,
        );
      idx[i * k + t] = j;
      sims[i * k + t] = nb.values[nb.offsets[i] + t];
    }
  }
  const rowItems = new Int32Array(ur.lists.length);
  for (let u = 0; u < ur.ids.length; u++) {
    for (let p = ur.offsets[u]; p < ur.offsets[u + 1]; p++) {
      const j = itemRow(ur.lists[p]);
      if (j < 0) throw new InputError("E_MODEL", `${at}/userRatings: user ${ur.ids[u]} rated item ${ur.lists[p]}, which ${at}/neighbours does not list`);
      if (p > ur.offsets[u] && j <= rowItems[p - 1])
        throw new InputError(
          "E_MODEL",
          `${at}/userRatings: user ${ur.ids[u]}'s items must be distinct and ascending; found ${ur.lists[p]} after ${ur.lists[p - 1]}`,
        );
      rowItems[p] = j;
    }
  }
  return {
    userIds: ur.ids,
    itemIds,
    rows: { nUsers: ur.ids.length, nItems, rowPtr: ur.offsets, rowItems, rowRatings: ur.values },
    neighbours: { k, idx, sims, counts },
  };
}
