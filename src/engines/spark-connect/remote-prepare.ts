import { InputError, isInputError, type RecpipeError } from "../../core/errors.js";
import type { StageRegistry } from "../../core/registry.js";
import type { Transformer } from "../../core/stage.js";
import { leftNoRows, readdressed, stepLabel } from "../../prepare/apply-prepare.js";
import type { FunnelStep, IdColumns } from "../../prepare/funnel.js";
import type { PrepareStep } from "../engine.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import { applyTransformer, remoteStageFor, sparkOperator } from "./remote-pipeline.js";
import { POSITION_COL, type PrepareRows } from "./stages/index.js";
import type { SparkMl } from "./transport/ml.js";
import { dropColumns, sql } from "./transport/plan.js";
import { ident } from "./transport/sql-text.js";
import { fieldsOf } from "./stages/index.js";

export interface RemotePrepareOptions {
  ml: SparkMl;
  registry: StageRegistry;
  seed: number;
  cols: IdColumns;
  log(msg: string): void;
  cache(rel: Relation): Promise<void>;
}

/**
 * The `prepare:` block on the cluster: each step's Spark plan (stages/<step>.ts) or Spark transformer, in order, with
 * the funnel (rows, users, items, duplicate pairs) counted by the cluster after each step, and the same messages as
 * the local engine (`prepare[i] (type)`, "left no rows"). The file-position column, when attached, is dropped at the end.
 */
export async function prepareRemote(
  rows: PrepareRows,
  steps: readonly PrepareStep[],
  o: RemotePrepareOptions,
): Promise<{ data: Relation; funnel: FunnelStep[] }> {
  const funnel: FunnelStep[] = [await remoteFunnelStep(o.ml, rows.rel, { step: "source" }, o.cols)];
  let cur = rows;
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i].stage;
    const before = funnel[funnel.length - 1];
    let after: FunnelStep;
    try {
      cur = await applyStep(cur, st, o);
      // Spark plans are lazy: a step's errors (a column, a statement) surface when its rows are first counted.
      after = await remoteFunnelStep(o.ml, cur.rel, { step: `prepare[${i}]`, type: st.type, name: st.name }, o.cols);
    } catch (e) {
      throw readdressed(e, i, st);
    }
    if (after.rows === 0) throw leftNoRows(i, st, before);
    funnel.push(after);
    o.log(`${stepLabel(i, st)}: ${before.rows.toLocaleString("en-US")} -> ${after.rows.toLocaleString("en-US")} rows (on the cluster)`);
  }
  return { data: cur.positioned ? dropColumns(cur.rel, [POSITION_COL]) : cur.rel, funnel };
}

async function applyStep(rows: PrepareRows, st: Transformer, o: RemotePrepareOptions): Promise<PrepareRows> {
  const remote = remoteStageFor(o.registry, st);
  if (remote.prepare) return remote.prepare(rows, st.params, { ml: o.ml, where: (key) => `${st.name}.${key}`, cache: o.cache });
  if (remote.runs !== "ml" || remote.resolve)
    throw new InputError("E_UNSUPPORTED", `${st.name}.type: ${st.type} cannot be a prepare step on Spark Connect (run without --remote)`);
  // A statement that may drop, add or reorder rows or columns never sees the position column (nor could keep it right).
  const k = remote.keepsColumns;
  const keeps = rows.positioned && (typeof k === "function" ? k(st.params) : k === true);
  const input = rows.positioned && !keeps ? dropColumns(rows.rel, [POSITION_COL]) : rows.rel;
  const rel = applyTransformer(o.ml, remote, sparkOperator(o.registry, st, o.seed), input);
  // Spark analyses the statement (its columns, functions, types) when the plan is first resolved: here, without reading
  // rows, so that its error names the step's key, as a local one does.
  const key = remote.checkedKey?.(st.params);
  if (key) {
    try {
      await fieldsOf(o.ml, rel, `checking ${st.name}.${key} on the cluster`);
    } catch (e) {
      // Only the server refusing the plan (E_DATA: an analysis error) is about the key; credentials and the like are not.
      if (isInputError(e) && (e as RecpipeError).code === "E_DATA") throw new InputError("E_DATA", `${st.name}.${key}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return { rel, positioned: keeps };
}

/**
 * One funnel row counted on the cluster, as funnelStep counts it locally: distinct ids with a null as one id (GROUP BY
 * groups nulls), and duplicate pairs as rows minus distinct (user, item) pairs. A column not (yet) there is left out.
 */
export async function remoteFunnelStep(ml: SparkMl, rel: Relation, step: Pick<FunnelStep, "step" | "type" | "name">, cols: IdColumns): Promise<FunnelStep> {
  const what = `counting the rows after ${step.step}`;
  const names = (await fieldsOf(ml, rel, what)).map((f) => f.name);
  const has = (c: string | undefined): c is string => c !== undefined && names.includes(c);
  const distinct = (by: string[]) => `(SELECT count(*) FROM (SELECT 1 FROM {d} GROUP BY ${by.map(ident).join(", ")}))`;
  const parts = ["(SELECT count(*) FROM {d}) AS n_rows"];
  if (has(cols.user)) parts.push(`${distinct([cols.user])} AS n_users`);
  if (has(cols.item)) parts.push(`${distinct([cols.item])} AS n_items`);
  if (has(cols.user) && has(cols.item)) parts.push(`${distinct([cols.user, cols.item])} AS n_pairs`);
  const t = await ml.collect(sql(`SELECT ${parts.join(", ")}`, { d: rel }), what);
  const get = (c: string) => Number(t.getChild(c)!.get(0));
  const out: FunnelStep = { ...step, rows: get("n_rows") };
  if (has(cols.user)) out.users = get("n_users");
  if (has(cols.item)) out.items = get("n_items");
  if (out.users !== undefined && out.items !== undefined) out.duplicatePairs = out.rows - get("n_pairs");
  return out;
}
