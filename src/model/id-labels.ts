import { hasIndexLabels } from "../core/stage.js";
import type { PipelineModel } from "./pipeline-model.js";

/**
 * Maps between the integer ids a recommender sees and the ids the user wrote in the data, through the fitted string
 * indexers of the pipeline (what the seed notebooks spend a page of pandas on). Columns no indexer produced keep their
 * numeric ids.
 */
export class IdLabels {
  private readonly labels: readonly string[] | undefined;
  private index?: Map<string, number>;
  /** The column name as the data wrote it: the indexer's input column, or `column` itself when it was not indexed. */
  readonly sourceColumn: string;

  constructor(model: PipelineModel, column: string) {
    let found: readonly string[] | undefined;
    let source = column;
    for (const s of model.stages) {
      if (!hasIndexLabels(s)) continue;
      const labels = s.labelsFor(column);
      if (labels) {
        found = labels;
        source = s.inputColFor(column) ?? source;
      }
    }
    this.labels = found;
    this.sourceColumn = source;
  }

  get indexed(): boolean {
    return this.labels !== undefined;
  }

  /** How many labels the indexer learned (integer ids run from 0 to count - 1), or undefined when not indexed. */
  get count(): number | undefined {
    return this.labels?.length;
  }

  /** Original id of an integer id (the label, or the number itself when the column was not indexed). */
  original(id: number): string | number {
    if (!this.labels) return id;
    return this.labels[id] ?? `__unknown_${id}`;
  }

  /** Integer id of an original id, or undefined when the model has never seen it. */
  toIndex(original: string | number): number | undefined {
    if (!this.labels) {
      const n = Number(original);
      return Number.isInteger(n) ? n : undefined;
    }
    this.index ??= new Map(this.labels.map((l, i) => [l, i]));
    return this.index.get(String(original));
  }
}
