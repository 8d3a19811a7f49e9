import { dropNa } from "../../../../stages/drop-na.js";
import { naDrop } from "../transport/plan.js";
import { defineRemoteStage } from "./remote-stage.js";
import { userColumns } from "./row-position.js";

interface Params {
  cols?: string[];
  how: "any" | "all";
  thresh?: number;
}

/**
 * Spark's na.drop(thresh, subset), which counts null and (in float columns) NaN as missing, as the local step does;
 * `thresh` wins over `how` in both. The default columns are the data's own (not the file-position column).
 */
export const dropNaRemote = defineRemoteStage<Params>({
  definition: dropNa,
  runs: "sql",
  async prepare({ rel, positioned }, p, { ml, where }) {
    const cols = p.cols ?? (await userColumns(ml, rel, `reading the columns for ${where("cols")}`));
    return { rel: naDrop(rel, cols, p.thresh ?? (p.how === "any" ? cols.length : 1)), positioned };
  },
});
