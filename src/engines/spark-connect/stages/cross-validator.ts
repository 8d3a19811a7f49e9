import { crossValidator } from "../../../../stages/cross-validator.js";
import { defineRemoteStage } from "./remote-stage.js";

/** Spark's CrossValidator is not on Spark Connect's allowlist: it runs from the client, as PySpark's does over Connect: folds in Spark SQL, trials remote (remote-tune.ts). */
export const crossValidatorRemote = defineRemoteStage({ definition: crossValidator, runs: "client" });
