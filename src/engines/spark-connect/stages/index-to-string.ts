import { InputError } from "../../../core/errors.js";
import { indexToString } from "../../../../stages/index-to-string.js";
import { defineRemoteStage } from "./remote-stage.js";

/** Spark's IndexToString; `labelsFrom` is resolved first into `labels`, the named fitted indexer's (first column). */
export const indexToStringRemote = defineRemoteStage({
  definition: indexToString,
  runs: "ml",
  className: "org.apache.spark.ml.feature.IndexToString",
  params: { inputCol: "string", outputCol: "string", labels: "string[]" },
  async resolve(ml, op, stage, before) {
    const from = stage.params.labelsFrom;
    if (from === undefined) return op;
    const indexer = before.find((f) => f.stage.name === String(from) && f.model);
    if (!indexer?.model) throw new InputError("E_SPEC", `${stage.name}.labelsFrom: no fitted string-indexer named "${String(from)}" before it`);
    const labels = (await ml.fetchValue(indexer.model, "labelsArray", `${stage.name}: fetching the labels of ${String(from)}`)) as string[][];
    return { ...op, params: [...op.params.filter((p) => p.name !== "labels"), { name: "labels", value: labels[0], type: "string[]" }] };
  },
});
