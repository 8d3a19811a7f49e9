// docs/examples/plugins/clip-ratings.ts: a transformer that clips a rating column into [min, max].
import { Field, Float64, makeVector } from "apache-arrow";
import { defineStage, float64Column, requireNumeric, schemaWith, withColumns, z } from "recpipe";

export const clipRatings = defineStage({
  type: "clip-ratings", // the YAML `type`; kebab-case
  role: "transformer",
  doc: "Copies a numeric column into outputCol, clipped into [min, max] (scores on another scale before ALS).",
  sparkClass: "recpipe.examples.ClipRatings", // written as `class` in the saved model's metadata
  uidPrefix: "clip",
  // The schema is the param list: names, types, defaults, ranges and the docs `recpipe explain` shows.
  params: z.object({
    inputCol: z.string().default("rating").describe("numeric column to clip"),
    outputCol: z.string().default("clipped").describe("new column holding the clipped values"),
    min: z.number().default(1).describe("values below become min"),
    max: z.number().default(5).describe("values above become max"),
  }),
  create: (params, info) => ({
    role: "transformer",
    type: "clip-ratings",
    ...info, // uid, name and the params the file set explicitly
    params,
    // Checked before any data is read: a missing or non-numeric column is bad input (exit 2), named with its stage.
    transformSchema(schema) {
      requireNumeric(schema, params.inputCol, `${info.name}.inputCol`);
      return schemaWith(schema, [new Field(params.outputCol, new Float64(), true)]);
    },
    transform(table) {
      const values = float64Column(table, params.inputCol, `${info.name}.inputCol`);
      const out = values.map((v) => Math.min(params.max, Math.max(params.min, v)));
      return withColumns(table, { [params.outputCol]: makeVector(out) });
    },
    // Spark-layout persistence: a transformer with no learned state saves its params only.
    save: () => ({ className: "recpipe.examples.ClipRatings", uid: info.uid, paramMap: { ...params } }),
  }),
});
