import type { Table, Vector } from "apache-arrow";
import { requireField } from "../core/table.js";
import { distinctPairs, idCodes, integerPairCounts } from "./distinct-pairs.js";

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

/** Rows, distinct users and items, and duplicate (user, item) pairs of a table: one pass of codes per column, one counting sort. */
export function funnelStep(table: Table, step: Pick<FunnelStep, "step" | "type" | "name">, cols: IdColumns): FunnelStep {
  const has = (c: string | undefined): c is string => c !== undefined && table.schema.fields.some((f) => f.name === c);
  const out: FunnelStep = { ...step, rows: table.numRows };
  const codes = (c: string) => {
    requireField(table.schema, c, "funnel");
    return idCodes(table.getChild(c) as Vector, c, "funnel");
  };
  if (has(cols.user) && has(cols.item)) {
    const direct = integerPairCounts(table.getChild(cols.user) as Vector, table.getChild(cols.item) as Vector);
    if (direct) return { ...out, users: direct.users, items: direct.items, duplicatePairs: table.numRows - direct.pairs };
  }
  const users = has(cols.user) ? codes(cols.user) : undefined;
  const items = has(cols.item) ? codes(cols.item) : undefined;
  if (users) out.users = users.distinct;
  if (items) out.items = items.distinct;
  if (users && items) out.duplicatePairs = table.numRows - distinctPairs(users, items);
  return out;
}
