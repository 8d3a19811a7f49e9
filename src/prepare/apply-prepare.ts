import { Table, type Schema } from "apache-arrow";
import { collectGarbage } from "../core/collect-garbage.js";
import { InputError, isInputError, RecpipeError } from "../core/errors.js";
import type { RunContext } from "../core/run-context.js";
import type { Transformer } from "../core/stage.js";
import { funnelStep, type FunnelStep, type IdColumns } from "./funnel.js";

/**
 * The `prepare:` block: transformer steps applied in order to the whole source before the split, recorded (the
 * funnel) but not saved in the model. Any Transformer stage can be a step (drop-na, sql-transformer, ...).
 */

/** Where a step is in the file, for messages: `prepare[2] (drop-duplicates)`. */
export function stepLabel(i: number, step: Transformer): string {
  return `prepare[${i}] (${step.type}${step.name !== step.type ? ` "${step.name}"` : ""})`;
}

/**
 * A step's exit-2 error, re-addressed to its place in the file: a message that starts with the step's name
 * ("drop-na.cols[0]: ...") has the name replaced by `prepare[i] (type)`, any other is prefixed with it.
 */
export function readdressed(e: unknown, i: number, step: Transformer): unknown {
  if (!isInputError(e)) return e;
  const label = stepLabel(i, step);
  const msg =
    e.message.startsWith(`${step.name}.`) || e.message.startsWith(`${step.name}:`) ? label + e.message.slice(step.name.length) : `${label}: ${e.message}`;
  return new InputError((e as RecpipeError).code as never, msg, { cause: e });
}

/** Spark's transformSchema folded over the steps: columns and types checked before any data is read whole. */
export function prepareSchema(steps: readonly Transformer[], schema: Schema): Schema {
  return steps.reduce((s, st, i) => {
    try {
      return st.transformSchema(s);
    } catch (e) {
      throw readdressed(e, i, st);
    }
  }, schema);
}

const RELEASED = new Table();

/** Below this many rows a table is small enough to leave to V8's own collections. */
const LARGE_ROWS = 1 << 20;

export interface Prepared {
  table: Table;
  funnel: FunnelStep[];
}

/**
 * Applies the steps in order and records the funnel after each. A step that leaves no rows is exit 2 naming it and
 * what it received, rather than an obscure "no ratings" later from the split or the fit.
 */
export async function applyPrepare(steps: readonly Transformer[], table: Table, ctx: RunContext, cols: IdColumns): Promise<Prepared> {
  const funnel: FunnelStep[] = [funnelStep(table, { step: "source" }, cols)];
  let cur = table;
  // Only `cur` holds the source from here, so that it is garbage once the first step has its output (unless the
  // caller keeps it).
  table = RELEASED;
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i];
    let out: Table;
    try {
      out = await st.transform(cur, ctx);
    } catch (e) {
      throw readdressed(e, i, st);
    }
    const before = funnel[funnel.length - 1];
    if (out.numRows === 0) throw leftNoRows(i, st, before);
    const large = out !== cur && out.numRows >= LARGE_ROWS;
    // What the step keeps for a next use (the SQL engine's memory) would otherwise sit under every later step's peak.
    if (cur.numRows >= LARGE_ROWS) await st.release?.();
    cur = out;
    // The step's input is garbage now (unless it is a source the caller keeps): freed before the funnel's counts
    // allocate their codes, and those before the next step allocates its own.
    if (large) collectGarbage();
    funnel.push(funnelStep(cur, { step: `prepare[${i}]`, type: st.type, name: st.name }, cols));
    if (large) collectGarbage();
    ctx.log(`${stepLabel(i, st)}: ${before.rows.toLocaleString("en-US")} -> ${cur.numRows.toLocaleString("en-US")} rows`);
  }
  return { table: cur, funnel };
}

/** A step that kept no rows: exit 2 naming it and what it received (both engines). */
export function leftNoRows(i: number, st: Transformer, before: FunnelStep): InputError {
  const counts = [
    before.users !== undefined ? `${before.users.toLocaleString("en-US")} users` : "",
    before.items !== undefined ? `${before.items.toLocaleString("en-US")} items` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return new InputError(
    "E_DATA",
    `${stepLabel(i, st)}: left no rows: it received ${before.rows.toLocaleString("en-US")} rows${counts ? ` (${counts})` : ""} and kept none (params ${JSON.stringify(st.params)}); loosen it or remove it`,
  );
}
