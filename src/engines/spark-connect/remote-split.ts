import type { Splitter } from "../../core/stage.js";
import type { Relation } from "./gen/spark/connect/relations_pb.js";
import { sample } from "./transport/plan.js";

/**
 * The split on the cluster: split: none trains on every row (no test set); random-split is Spark's randomSplit
 * (Sample relations over [0, cut) and [cut, 1) of one seeded draw).
 */
export function remoteSplit(data: Relation, splitter: Splitter, seed: number): { train: Relation; test?: Relation } {
  if (splitter.type !== "random-split") return { train: data };
  const weights = splitter.params.weights as number[];
  const cut = weights[0] / (weights[0] + weights[1]);
  const splitSeed = (splitter.params.seed as number | undefined) ?? seed;
  return { train: sample(data, 0, cut, splitSeed), test: sample(data, cut, 1, splitSeed) };
}
