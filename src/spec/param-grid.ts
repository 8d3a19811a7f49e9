/** One point of the search: the value of each grid key ("stage.param"), in grid key order. */
export interface ParamMap {
  entries: { stage: string; param: string; value: unknown }[];
}

/**
 * Expands a grid into param maps in PySpark's order (ParamGridBuilder.build via itertools.product): keys in the order
 * written, the last key varying fastest. Scala's order depends on param hash codes; PySpark's is stable.
 */
export function expandGrid(grid: { stage: string; param: string; values: unknown[] }[]): ParamMap[] {
  let maps: ParamMap[] = [{ entries: [] }];
  for (const g of grid) {
    const next: ParamMap[] = [];
    for (const m of maps) for (const v of g.values) next.push({ entries: [...m.entries, { stage: g.stage, param: g.param, value: v }] });
    maps = next;
  }
  return maps;
}

export function describeParamMap(m: ParamMap): string {
  return m.entries.map((e) => `${e.stage}.${e.param}=${JSON.stringify(e.value)}`).join(", ");
}

/** Param overrides grouped by stage name. */
export function overridesByStage(m: ParamMap): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const e of m.entries) {
    const o = out.get(e.stage) ?? {};
    o[e.param] = e.value;
    out.set(e.stage, o);
  }
  return out;
}
