import { trainValidationSplit } from "../../../../stages/train-validation-split.js";
import { defineRemoteStage } from "./remote-stage.js";

/** TrainValidationSplit runs from the client, as PySpark's does over Connect: one fold in Spark SQL (remote-tune.ts). */
export const trainValidationSplitRemote = defineRemoteStage({ definition: trainValidationSplit, runs: "client" });
