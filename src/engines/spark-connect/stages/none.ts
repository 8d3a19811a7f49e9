import { noSplit } from "../../../../stages/none.js";
import { defineRemoteStage } from "./remote-stage.js";

/** split: none trains on every row: no test set. */
export const noSplitRemote = defineRemoteStage({
  definition: noSplit,
  runs: "sql",
  split: (data) => ({ train: data }),
});
