import type { Plan } from "../gen/spark/connect/base_pb.js";

/** The aliases plan.ts sql() gives its references: recpipe_<name>_<n>. */
const ALIAS = /\brecpipe_[A-Za-z0-9_]+?_\d+\b/g;

/**
 * The plan with every sql() alias renamed for this one request (`recpipe_d_3` -> `recpipe_d_3_r17`), in the SQL texts
 * and the SubqueryAlias references alike. Spark (4.0 to 4.3 at least) runs a SQL root with references by registering
 * each reference as a temporary view of the SESSION under its alias and dropping it when the request ends
 * (SparkConnectPlanner.executeSQLWithRefs). Two requests in flight at once (parallel trials) that reuse one relation
 * (a fold) would share view names, and the first to finish drops the other's views: TABLE_OR_VIEW_NOT_FOUND, counted
 * as a failed trial. A suffix per request keeps their views apart. The relation objects are shared, so this copies.
 */
export function isolateAliases(plan: Plan, request: number): Plan {
  const suffix = `_r${request}`;
  const rename = (text: string) => text.replace(ALIAS, (a) => a + suffix);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object" || ArrayBuffer.isView(v)) return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = walk(x);
    if (o.$typeName === "spark.connect.SubqueryAlias" && typeof o.alias === "string") out.alias = rename(o.alias);
    if (o.$typeName === "spark.connect.SQL" && typeof o.query === "string") out.query = rename(o.query);
    return out;
  };
  return walk(plan) as Plan;
}
