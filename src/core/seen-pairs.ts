import type { Table } from "apache-arrow";
import { InputError } from "./errors.js";
import { makeIdLookup } from "../kernels/id-lookup.js";
import { idColumn } from "./id-column.js";
import { float64Values } from "./table.js";

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

/** Up to this many users, their own pairs are picked out of the rows instead of building every user's. */
export const FEW_USERS = 1000;

/**
 * The seen pairs of a few users only (the report's sample of five, `recommend.users: [...]`): one pass over the two
 * columns picks their rows, so ranking them excludes from a few hundred pairs rather than from a CSR over all 20M. The
 * same pairs as seenPairs restricted to `users`; ids are checked as idColumn checks them, on the rows kept.
 */
export function seenPairsOfUsers(train: Table, cols: { userCol: string; itemCol: string }, users: Int32Array, where: string): SeenPairs {
  const wanted = makeIdLookup(users);
  const u = float64Values(train, cols.userCol, `${where} (training rows, the model's userCol)`);
  const it = float64Values(train, cols.itemCol, `${where} (training rows, the model's itemCol)`);
  const outUsers: number[] = [];
  const outItems: number[] = [];
  for (let r = 0; r < u.length; r++) {
    const id = u[r];
    if (!Number.isInteger(id) || wanted(id) < 0) continue;
    const item = it[r];
    if (Number.isNaN(item)) continue;
    if (!Number.isInteger(item) || item < -2147483648 || item > 2147483647)
      throw new InputError(
        "E_DATA",
        `${where} (training rows, the model's itemCol): column "${cols.itemCol}" row ${r}: ids must be integers within the Int32 range; got ${item}`,
      );
    outUsers.push(id);
    outItems.push(item);
  }
  return { users: Int32Array.from(outUsers), items: Int32Array.from(outItems) };
}
