import type { RunContext } from "./run-context.js";

/** Top-k neighbours per query item: row q holds counts[q] item ids for items[q] in similar[q*k ..], most similar first; -1 / NaN pad. */
export interface SimilarItemLists {
  items: Int32Array;
  similar: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
  k: number;
}

/** A fitted model that can list the items most similar to an item (ALS: cosine of its item factors; item-knn: its similarity). */
export interface SimilarItems {
  /**
   * The `k` most similar items for each of `items` (the model's item indices), most similar first, ties to the larger id.
   * The item itself is never listed; an item the model does not know gets an empty list.
   */
  similarItems(items: Int32Array, k: number, ctx: RunContext): Promise<SimilarItemLists>;
}

export function hasSimilarItems(x: unknown): x is SimilarItems {
  return typeof x === "object" && x !== null && typeof (x as SimilarItems).similarItems === "function";
}
