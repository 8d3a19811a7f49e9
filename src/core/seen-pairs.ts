import type { Table } from "apache-arrow";
import { idColumn } from "./id-column.js";

export interface SeenPairs {
  users: Int32Array;
  items: Int32Array;
}

/** Per training table and column pair: the model, every baseline and the recommendations exclude the same pairs. */
const memo = new WeakMap<Table, Map<string, SeenPairs>>();

/**
 * The (user, item) pairs of the training rows with both ids valid: what ranking must not recommend again. Computed
 * once per table and column pair (on 20M rows a pass costs more than ranking by a global order).
 */
export function seenPairs(train: Table, cols: { userCol: string; itemCol: string }, where: string): SeenPairs {
  let byCols = memo.get(train);
  if (!byCols) memo.set(train, (byCols = new Map()));
  const key = `${cols.userCol}\u0000${cols.itemCol}`;
  let pairs = byCols.get(key);
  if (!pairs) byCols.set(key, (pairs = seenPairRows(train, cols, where)));
  return pairs;
}

function seenPairRows(train: Table, cols: { userCol: string; itemCol: string }, where: string): SeenPairs {
  const u = idColumn(train, cols.userCol, `${where} (training rows, the model's userCol)`);
  const it = idColumn(train, cols.itemCol, `${where} (training rows, the model's itemCol)`);
  if (u.numInvalid === 0 && it.numInvalid === 0) return { users: u.ids, items: it.ids };
  let n = 0;
  for (let i = 0; i < u.ids.length; i++) if (u.valid[i] && it.valid[i]) n++;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  for (let i = 0, o = 0; i < u.ids.length; i++) {
    if (!(u.valid[i] && it.valid[i])) continue;
    users[o] = u.ids[i];
    items[o++] = it.ids[i];
  }
  return { users, items };
}
