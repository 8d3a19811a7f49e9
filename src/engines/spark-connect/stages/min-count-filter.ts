import { minCountFilter } from "../../../../stages/min-count-filter.js";
import type { Relation } from "../gen/spark/connect/relations_pb.js";
import type { SparkMl } from "../transport/ml.js";
import { dropColumns, sql } from "../transport/plan.js";
import { ident } from "../transport/sql-text.js";
import { defineRemoteStage } from "./remote-stage.js";

interface Params {
  userCol: string;
  itemCol: string;
  minUserCount: number;
  minItemCount: number;
  iterative: boolean;
}

const CU = "__recpipe_user_count";
const CI = "__recpipe_item_count";

/**
 * Window counts per user and per item (a null id is one id, as locally: PARTITION BY groups nulls), rows below either
 * minimum dropped. `iterative` repeats the pass on what survived until a pass drops nothing (the k-core), as the local
 * step does; each round is cached so the next reads it rather than recomputing every earlier round.
 */
export const minCountFilterRemote = defineRemoteStage<Params>({
  definition: minCountFilter,
  runs: "sql",
  async prepare({ rel, positioned }, p, { ml, where, cache }) {
    const once = (d: Relation) =>
      dropColumns(
        sql(
          `SELECT * FROM (SELECT *, count(*) OVER (PARTITION BY ${ident(p.userCol)}) AS ${CU}, count(*) OVER (PARTITION BY ${ident(p.itemCol)}) AS ${CI} FROM {d})
           WHERE ${CU} >= ${p.minUserCount} AND ${CI} >= ${p.minItemCount}`,
          { d },
        ),
        [CU, CI],
      );
    if (!p.iterative) return { rel: once(rel), positioned };
    const what = `counting the rows of ${where("iterative")}`;
    let cur = rel;
    let rows = await count(ml, cur, what);
    for (;;) {
      const next = once(cur);
      await cache(next);
      const left = await count(ml, next, what);
      if (left === rows) return { rel: next, positioned };
      cur = next;
      rows = left;
    }
  },
});

async function count(ml: SparkMl, d: Relation, what: string): Promise<number> {
  return Number((await ml.collect(sql("SELECT count(*) AS n FROM {d}", { d }), what)).getChild("n")!.get(0));
}
