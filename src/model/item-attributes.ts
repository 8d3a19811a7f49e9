import { Dictionary, Int32, makeData, makeVector, Table, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { InputError } from "../core/errors.js";
import { isStringType } from "../core/table.js";

/** Folder of a saved model (beside metadata/) that holds the run's item attributes; Spark's loaders ignore it. */
export const ITEM_ATTRIBUTES_TABLE = "recpipeItemAttributes";

export type AttributeValue = string | number | boolean | null;

/**
 * Item attributes (`items: {path, idCol, cols}`: e.g. MovieLens titles) keyed by the original item id. Ids are
 * compared as text, so an items file with integer ids joins ratings whose ids a string-indexer turned into labels.
 */
export class ItemAttributes {
  private readonly row = new Map<string, number>();
  /** The attribute columns as string vectors (Utf8 columns) or as values, for dictionary-encoded joins. */
  private readonly strings = new Map<string, Vector>();

  /** `table` holds `idCol` then `cols`, one row per id; `where` names the source in errors (file and key). */
  constructor(
    readonly table: Table,
    readonly idCol: string,
    readonly cols: readonly string[],
    where: string,
  ) {
    const ids = table.getChild(idCol);
    if (!ids)
      throw new InputError("E_COLUMN", `${where}: expected the id column "${idCol}"; found columns ${table.schema.fields.map((f) => f.name).join(", ")}`);
    for (let i = 0; i < table.numRows; i++) {
      const v = ids.get(i) as unknown;
      if (v === null || v === undefined) throw new InputError("E_DATA", `${where}: row ${i + 1} has no ${idCol}; expected an item id in every row`);
      const key = String(v);
      const first = this.row.get(key);
      if (first !== undefined) {
        throw new InputError("E_DATA", `${where}: item id ${key} appears twice in column ${idCol} (rows ${first + 1} and ${i + 1}); expected one row per item`);
      }
      this.row.set(key, i);
    }
  }

  /** Row of an original item id, or -1 when the items file has none. */
  rowOf(id: string | number): number {
    return this.row.get(String(id)) ?? -1;
  }

  /** The attribute values of a row (null for every column when row is -1). */
  values(row: number): AttributeValue[] {
    return this.cols.map((c) => (row < 0 ? null : toValue(this.table.getChild(c)!.get(row))));
  }

  /** The rows of `ids` that exist, in the items file's order: what a model saves of the file. */
  restrictTo(ids: Iterable<string | number>): ItemAttributes {
    const keep = new Set<number>();
    for (const id of ids) {
      const r = this.rowOf(id);
      if (r >= 0) keep.add(r);
    }
    const rows = [...keep].sort((a, b) => a - b);
    const cols: Record<string, Vector> = {};
    for (const f of this.table.schema.fields) cols[f.name] = gather(this.table.getChild(f.name)!, Int32Array.from(rows), isStringType(f.type));
    return new ItemAttributes(new Table(cols), this.idCol, this.cols, "saved item attributes");
  }

  /** One column per attribute for output rows whose item has attribute row rows[i] (-1: null), named by `rename`. */
  columnsFor(rows: Int32Array, rename: (col: string) => string = (c) => c): Record<string, Vector> {
    const out: Record<string, Vector> = {};
    for (const c of this.cols) {
      const field = this.table.schema.fields.find((f) => f.name === c)!;
      out[rename(c)] = isStringType(field.type) ? this.dictionaryColumn(c, rows) : gather(this.table.getChild(c)!, rows, false);
    }
    return out;
  }

  /** A string attribute as a dictionary over the items file's rows: a title repeated a million times is stored once. */
  private dictionaryColumn(col: string, rows: Int32Array): Vector {
    let dict = this.strings.get(col);
    if (!dict) {
      const v = this.table.getChild(col)!;
      dict = vectorFromArray(
        Array.from({ length: v.length }, (_, i) => (v.get(i) as string | null) ?? null),
        new Utf8(),
      );
      this.strings.set(col, dict);
    }
    const { bitmap, nulls } = validity(rows);
    const indices = Int32Array.from(rows, (r) => (r < 0 ? 0 : r));
    return makeVector(
      makeData({
        type: new Dictionary(new Utf8(), new Int32()),
        length: rows.length,
        nullCount: nulls,
        nullBitmap: nulls ? bitmap : undefined,
        data: indices,
        dictionary: dict,
      }),
    );
  }
}

function toValue(v: unknown): AttributeValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

function validity(rows: Int32Array): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array(Math.ceil(rows.length / 8));
  let nulls = 0;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] >= 0) bitmap[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap, nulls };
}

/** Values of `v` at `rows` (-1: null), keeping the column's type. */
function gather(v: Vector, rows: Int32Array, asString: boolean): Vector {
  const values = Array.from(rows, (r) => (r < 0 ? null : (v.get(r) as unknown)));
  return asString
    ? vectorFromArray(
        values.map((x) => (x === null ? null : String(x))),
        new Utf8(),
      )
    : vectorFromArray(values, v.type);
}
