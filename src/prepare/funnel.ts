import type { Table } from "apache-arrow";
import { combineKeys, rowKeys } from "../core/row-keys.js";

/** One row of the prepare funnel: what the data held after a step (the first row: the source as read). */
export interface FunnelStep {
  /** "source", or "prepare[i]". */
  step: string;
  /** The step's type and name (absent for the source). */
  type?: string;
  name?: string;
  rows: number;
  /** Distinct users and items (the recommender's columns, named as in the source); absent when the column does not exist yet. */
  users?: number;
  items?: number;
  /** Rows that repeat an earlier row's (user, item) pair. */
  duplicatePairs?: number;
}

/** The user and item columns the funnel counts, as the source names them. */
export interface IdColumns {
  user?: string;
  item?: string;
}

/** Rows, distinct users and items, and duplicate (user, item) pairs of a table: one pass of key coding per column. */
export function funnelStep(table: Table, step: Pick<FunnelStep, "step" | "type" | "name">, cols: IdColumns): FunnelStep {
  const has = (c: string | undefined): c is string => c !== undefined && table.schema.fields.some((f) => f.name === c);
  const out: FunnelStep = { ...step, rows: table.numRows };
  const users = has(cols.user) ? rowKeys(table, [cols.user], "funnel") : undefined;
  const items = has(cols.item) ? rowKeys(table, [cols.item], "funnel") : undefined;
  if (users) out.users = users.numKeys;
  if (items) out.items = items.numKeys;
  if (users && items) out.duplicatePairs = table.numRows - combineKeys(users, items).numKeys;
  return out;
}
