import type { FunnelStep, IdColumns } from "./funnel.js";

/** A pipeline stage as the pipeline file declares it (type and validated params). */
interface StageLike {
  type: string;
  params: Record<string, unknown>;
}

/**
 * The user and item columns of the pipeline's recommender (the last stage with userCol and itemCol: als, baselines),
 * followed back through the stages that made them (a string-indexer's outputCol/outputCols to its inputs), so the
 * funnel counts the ids as the source holds them.
 */
export function recommenderIdColumns(pipeline: readonly StageLike[]): IdColumns & { recommender?: string } {
  const at = [...pipeline.keys()].reverse().find((i) => typeof pipeline[i].params.userCol === "string" && typeof pipeline[i].params.itemCol === "string");
  if (at === undefined) return {};
  const back = (col: string): string => {
    for (let i = at - 1; i >= 0; i--) {
      const p = pipeline[i].params;
      const outs = Array.isArray(p.outputCols) ? (p.outputCols as string[]) : typeof p.outputCol === "string" ? [p.outputCol] : [];
      const ins = Array.isArray(p.inputCols) ? (p.inputCols as string[]) : typeof p.inputCol === "string" ? [p.inputCol] : [];
      const k = outs.indexOf(col);
      if (k >= 0 && ins[k] !== undefined) col = ins[k];
    }
    return col;
  };
  return { user: back(pipeline[at].params.userCol as string), item: back(pipeline[at].params.itemCol as string), recommender: pipeline[at].type };
}

/** The note for duplicate (user, item) pairs that reach the recommender: how many, and the step that drops them. */
export function duplicatePairsNote(count: number, cols: IdColumns & { recommender?: string }): string {
  return (
    `${count.toLocaleString("en-US")} rows repeat an earlier (${cols.user}, ${cols.item}) pair and reach ${cols.recommender ?? "the model"}, which counts each as another rating ` +
    `(duplicates move the fit and the test metrics); to keep one row per pair add \`prepare: [{type: drop-duplicates, cols: [${cols.user}, ${cols.item}]}]\` ` +
    `(keep: last with orderBy: a timestamp column keeps the latest)`
  );
}

/** The notes the funnel gives a run: duplicate (user, item) pairs that reach the recommender, if any. */
export function prepareNotes(funnel: readonly FunnelStep[] | undefined, pipeline: readonly StageLike[]): string[] {
  const duplicates = funnel?.at(-1)?.duplicatePairs ?? 0;
  return duplicates > 0 ? [duplicatePairsNote(duplicates, recommenderIdColumns(pipeline))] : [];
}
