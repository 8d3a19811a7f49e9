import type { Table } from "apache-arrow";

/** What a fit over a training table learns of its ids alone: the known users and items, and rows per item. */
export interface TrainingIds {
  /** Distinct user ids, ascending. */
  userIds: Int32Array;
  /** Distinct item ids, ascending. */
  itemIds: Int32Array;
  /** Training rows of itemIds[i]. */
  itemCounts: Float64Array;
}

/** Per table, per (userCol, itemCol); tables are never written after they are made, so an entry cannot go stale. */
const memo = new WeakMap<Table, Map<string, TrainingIds>>();
const key = (userCol: string, itemCol: string) => `${userCol}\u0000${itemCol}`;

/**
 * Kept by a fit that indexed every id of a table whose ids it found valid (bias-baseline), for the next fit on the same
 * table (most-popular: its whole model is these arrays). The baselines of a run share one training table, and on 8M rows
 * indexing both id columns again costs a third of a second. Only these small arrays are kept, never a per-row index.
 */
export function keepTrainingIds(table: Table, userCol: string, itemCol: string, ids: TrainingIds): void {
  let byCols = memo.get(table);
  if (!byCols) memo.set(table, (byCols = new Map()));
  byCols.set(key(userCol, itemCol), ids);
}

/** The ids a previous fit kept for this table and column pair; undefined when none did. */
export function keptTrainingIds(table: Table, userCol: string, itemCol: string): TrainingIds | undefined {
  return memo.get(table)?.get(key(userCol, itemCol));
}
