import { randomSplit } from "../../../../stages/random-split.js";
import { sample } from "../transport/plan.js";
import { defineRemoteStage } from "./remote-stage.js";

/** DataFrame.randomSplit's Sample relations (sorted input, one draw per row) over [0, cut) and [cut, 1): the same semantics as locally, other rows. */
export const randomSplitRemote = defineRemoteStage({
  definition: randomSplit,
  runs: "sql",
  split(data, params, seed) {
    const weights = params.weights as number[];
    const cut = weights[0] / (weights[0] + weights[1]);
    const splitSeed = (params.seed as number | undefined) ?? seed;
    return { train: sample(data, 0, cut, splitSeed), test: sample(data, cut, 1, splitSeed) };
  },
});
