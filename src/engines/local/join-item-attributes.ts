import { Table, type Vector } from "apache-arrow";
import type { RunContext } from "../../core/run-context.js";
import { withColumns } from "../../core/table.js";
import { IdLabels } from "../../model/id-labels.js";
import { ITEM_ATTRIBUTES_TABLE, ItemAttributes, type AttributeValue } from "../../model/item-attributes.js";
import type { LoadedModel } from "../../model/load-model.js";
import type { PipelineModel } from "../../model/pipeline-model.js";
import type { RecommendationsTable } from "../../model/recommendations-table.js";
import type { ModelItemRecommendations, ModelRecommendations } from "../../model/recommend-from-model.js";
import { similarColumnName } from "../../model/similar-items-for.js";

/**
 * The attributes of the items the fitted model knows, as the model directory saves them (so a later
 * `recpipe recommend --model` shows titles without the items file). Items with no row are counted in one warning.
 */
export function attributesForModel(attrs: ItemAttributes, model: PipelineModel, ctx: Pick<RunContext, "warn">): ItemAttributes {
  const rec = model.recommender();
  if (!rec) return attrs;
  const labels = new IdLabels(model, rec.itemCol);
  const ids = Array.from(rec.knownItems(), (i) => labels.original(i));
  const missing = ids.filter((id) => attrs.rowOf(id) < 0);
  warnMissing(missing, ids.length, "the model's", attrs, ctx.warn);
  return attrs.restrictTo(ids);
}

function warnMissing(missing: (string | number)[], total: number, whose: string, attrs: ItemAttributes, warn: (m: string) => void): void {
  if (missing.length === 0) return;
  const shown = missing
    .slice(0, 5)
    .map((m) => JSON.stringify(m))
    .join(", ");
  warn(
    `items: ${missing.length.toLocaleString("en-US")} of ${whose} ${total.toLocaleString("en-US")} items have no row in the items file (by ${attrs.idCol}), e.g. ${shown}; their ${attrs.cols.join(", ")} ${attrs.cols.length > 1 ? "are" : "is"} left empty (null)`,
  );
}

/** The saved attributes of a model directory (written by a run with `items:`), if any. */
export function savedItemAttributes(loaded: LoadedModel): ItemAttributes | undefined {
  const t = loaded.saved.tables?.[ITEM_ATTRIBUTES_TABLE];
  if (!t || t.schema.fields.length < 2) return undefined;
  const [id, ...cols] = t.schema.fields.map((f) => f.name);
  return new ItemAttributes(t, id, cols, `${loaded.dir}/${ITEM_ATTRIBUTES_TABLE}`);
}

/** A run's recommendation tables with the attribute columns joined by item id (after the score). */
export function joinIntoTables(recs: RecommendationsTable, attrs: ItemAttributes): RecommendationsTable {
  const out = { ...recs };
  // recommendations: <user>, rank, <item>, rating; item-recommendations: <item>, rank, <user>, rating;
  // similar items: <item>, rank, similar<Item>, score.
  if (recs.table) out.table = joinOn(recs.table, 2, attrs, (c) => c);
  if (recs.itemTable) out.itemTable = joinOn(recs.itemTable, 0, attrs, (c) => c);
  if (recs.similarTable)
    out.similarTable = joinOn(
      joinOn(recs.similarTable, 0, attrs, (c) => c),
      2,
      attrs,
      similarColumnName,
    );
  return out;
}

function joinOn(t: Table, field: number, attrs: ItemAttributes, rename: (c: string) => string): Table {
  const col = t.getChild(t.schema.fields[field].name) as Vector;
  const rows = new Int32Array(t.numRows);
  // Dictionary-encoded ids are looked up once per distinct id, not once per row.
  const memo = new Map<unknown, number>();
  for (let i = 0; i < rows.length; i++) {
    const v = col.get(i) as unknown;
    let r = memo.get(v);
    if (r === undefined) memo.set(v, (r = v === null ? -1 : attrs.rowOf(v as string | number)));
    rows[i] = r;
  }
  return withColumns(t, attrs.columnsFor(rows, rename));
}

/** `recpipe recommend`: the attribute values beside each listed item (and each key item, for --item and --similar-items). */
export function joinIntoModelRecommendations(
  recs: ModelRecommendations,
  attrs: ItemAttributes,
  sides: { key: boolean; value: boolean; valueRename?: (c: string) => string },
  warn: (m: string) => void,
): ModelRecommendations {
  const missing = new Set<string | number>();
  const all = new Set<string | number>();
  const look = (id: string | number): AttributeValue[] => {
    all.add(id);
    const r = attrs.rowOf(id);
    if (r < 0) missing.add(id);
    return attrs.values(r);
  };
  const out: ModelRecommendations = {
    ...recs,
    keyAttributes: sides.key ? [...attrs.cols] : undefined,
    valueAttributes: sides.value ? attrs.cols.map(sides.valueRename ?? ((c) => c)) : undefined,
    users: recs.users.map((u) => ({
      ...u,
      ...(sides.key ? { attributes: look(u.user) } : {}),
      items: u.items.map((i) => ({ ...i, ...(sides.value ? { attributes: look(i.item) } : {}) })),
    })),
  };
  warnMissing([...missing], all.size, "the listed", attrs, warn);
  return out;
}

/** `recpipe recommend --item`: each item's attributes beside it. */
export function joinIntoItemRecommendations(recs: ModelItemRecommendations, attrs: ItemAttributes, warn: (m: string) => void): ModelItemRecommendations {
  const missing = recs.items.filter((i) => attrs.rowOf(i.item) < 0).map((i) => i.item);
  warnMissing(missing, recs.items.length, "the listed", attrs, warn);
  return { ...recs, itemAttributes: [...attrs.cols], items: recs.items.map((i) => ({ ...i, attributes: attrs.values(attrs.rowOf(i.item)) })) };
}
