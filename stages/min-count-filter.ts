import { makeVector, Table, vectorFromArray } from "apache-arrow";
import { z } from "zod";
import { defineStage, loadFromParams, saveParams } from "../src/core/define-stage.js";
import { rowKeys } from "../src/core/row-keys.js";
import type { Transformer } from "../src/core/stage.js";
import { filterRows, requireField } from "../src/core/table.js";

const CLASS = "recpipe.feature.MinCountFilter";
const TYPE = "min-count-filter";

const params = z.object({
  userCol: z.string().min(1).default("user").describe("user id column"),
  itemCol: z.string().min(1).default("item").describe("item id column"),
  minUserCount: z.number().int().min(1).default(1).describe("keep users with at least this many rows"),
  minItemCount: z.number().int().min(1).default(1).describe("keep items with at least this many rows"),
  iterative: z
    .boolean()
    .default(false)
    .describe(
      "repeat the filter until no user and no item is below its minimum (the k-core; Elliot's iterative_k_core, RecBole's repeated interval filter); false: one pass, both counts taken on the input",
    ),
});

/**
 * Which rows survive: a row is kept when its user has at least minUser kept rows and its item at least minItem.
 * One pass counts on the input; iterative passes recount the surviving rows until nothing changes. Typed arrays only.
 */
export function minCountMask(
  users: Int32Array,
  numUsers: number,
  items: Int32Array,
  numItems: number,
  minUser: number,
  minItem: number,
  iterative: boolean,
): { keep: Uint8Array; rounds: number } {
  const n = users.length;
  const keep = new Uint8Array(n).fill(1);
  const cu = new Int32Array(numUsers);
  const ci = new Int32Array(numItems);
  let rounds = 0;
  for (;;) {
    rounds++;
    cu.fill(0);
    ci.fill(0);
    for (let r = 0; r < n; r++) {
      if (!keep[r]) continue;
      cu[users[r]]++;
      ci[items[r]]++;
    }
    let dropped = 0;
    for (let r = 0; r < n; r++) {
      if (keep[r] && (cu[users[r]] < minUser || ci[items[r]] < minItem)) {
        keep[r] = 0;
        dropped++;
      }
    }
    if (!iterative || dropped === 0) return { keep, rounds };
  }
}

/** The rows to keep; the id keys die with the call, before the kept rows are copied. */
function keptMask(table: Table, p: z.output<typeof params>, name: string): Uint8Array {
  const u = rowKeys(table, [p.userCol], `${name}.userCol`);
  const i = rowKeys(table, [p.itemCol], `${name}.itemCol`);
  return minCountMask(u.keys, u.numKeys, i.keys, i.numKeys, p.minUserCount, p.minItemCount, p.iterative).keep;
}

export const minCountFilter = defineStage({
  type: TYPE,
  role: "transformer",
  doc:
    "Keeps users and items with at least a minimum number of rows (RecBole's user_inter_num_interval, Elliot's " +
    "k-core prefiltering; in pandas a groupby().transform('size') filter). iterative: true repeats until stable: " +
    "the k-core. Nulls count as one id. A prepare step, not part of the fitted model.",
  sparkClass: CLASS,
  uidPrefix: "minCount",
  prepareOnly: true,
  params,
  create(p, info): Transformer {
    return {
      role: "transformer",
      type: TYPE,
      ...info,
      params: p,
      transformSchema(schema) {
        requireField(schema, p.userCol, `${info.name}.userCol`);
        requireField(schema, p.itemCol, `${info.name}.itemCol`);
        return schema;
      },
      transform(table: Table) {
        return filterRows(table, keptMask(table, p, info.name));
      },
      save: () => saveParams(minCountFilter, p, info),
    };
  },
  loaders: { [CLASS]: (s): Transformer => loadFromParams(minCountFilter, s) },
  example: () => ({
    params: { userCol: "user", itemCol: "item", minUserCount: 2, minItemCount: 2, iterative: true },
    train: new Table({
      user: vectorFromArray(["a", "a", "b", "b", "c"]),
      item: makeVector(new Int32Array([1, 2, 1, 2, 1])),
    }),
  }),
});
