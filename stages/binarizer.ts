import { DataType, Field, Float64, makeData, makeVector, Table, vectorFromArray, type Schema, type Vector } from "apache-arrow";
import { z } from "zod";
import { defineStage, savedParamsAndInfo, sparkParamMaps, type StageInfo } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import type { SavedStage } from "../src/core/saved-stage.js";
import { SparkDouble } from "../src/core/spark-json.js";
import type { Transformer } from "../src/core/stage.js";
import { isValid, requireNumeric, schemaWith, withColumns } from "../src/core/table.js";

const CLASS = "org.apache.spark.ml.feature.Binarizer";
const TYPE = "binarizer";

const params = z
  .object({
    inputCol: z.string().min(1).optional().describe("numeric input column (single-column mode)"),
    outputCol: z.string().min(1).optional().describe('output column (single-column mode), Double 0.0/1.0; default: uid + "__output"'),
    inputCols: z.array(z.string().min(1)).min(1).optional().describe("numeric input columns (multi-column mode); excludes inputCol/outputCol"),
    outputCols: z.array(z.string().min(1)).min(1).optional().describe("output columns (multi-column mode), one per input column"),
    threshold: z.number().default(0).describe("values strictly greater become 1.0, the others (and NaN, and null) 0.0"),
    thresholds: z.array(z.number()).min(1).optional().describe("multi-column mode: one threshold per input column (default: threshold for every column)"),
  })
  .superRefine((p, ctx) => {
    // Spark's ParamValidators.checkSingleVsMultiColumnParams and Binarizer.transformSchema's requires, at load.
    const single = p.inputCol !== undefined;
    const multi = p.inputCols !== undefined;
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (single && multi) issue("inputCols", "cannot be set together with inputCol: use inputCol/outputCol or inputCols/outputCols");
    else if (!single && !multi) issue("inputCol", "is required (or inputCols for several columns)");
    if (multi && p.outputCol !== undefined) issue("outputCol", "cannot be used with inputCols; use outputCols");
    if (single && p.outputCols !== undefined) issue("outputCols", "cannot be used with inputCol; use outputCol");
    if (single && p.thresholds !== undefined) issue("thresholds", "cannot be set for a single-column binarizer; use threshold");
    if (multi) {
      if (p.outputCols === undefined) issue("outputCols", "is required with inputCols");
      else if (p.outputCols.length !== p.inputCols!.length)
        issue("outputCols", `must have as many entries as inputCols (${p.inputCols!.length}); got ${p.outputCols.length}`);
      if (p.thresholds !== undefined && p.thresholds.length !== p.inputCols!.length)
        issue("thresholds", `must have as many entries as inputCols (${p.inputCols!.length}); got ${p.thresholds.length}`);
    }
  });
type Params = z.output<typeof params>;

/** Spark's rule per value: 1.0 when not NaN and strictly above the threshold, else 0.0; a null is 0.0 too (SQL's `when` on a null condition takes `otherwise`). */
export function binarize(v: Vector, threshold: number): Float64Array {
  const out = new Float64Array(v.length);
  let o = 0;
  for (const d of v.data) {
    const vals = d.values as ArrayLike<number | bigint>;
    const big = DataType.isInt(d.type) && d.type.bitWidth === 64;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : undefined;
    for (let i = 0; i < d.length; i++, o++) {
      if (bitmap && !isValid(bitmap, d.offset + i)) continue;
      const x = big ? Number(vals[i] as bigint) : (vals[i] as number);
      if (x > threshold) out[o] = 1;
    }
  }
  return out;
}

function columnsOf(p: Params, uid: string): { inputs: string[]; outputs: string[]; thresholds: number[] } {
  if (p.inputCols) return { inputs: p.inputCols, outputs: p.outputCols ?? [], thresholds: p.thresholds ?? p.inputCols.map(() => p.threshold) };
  return { inputs: [p.inputCol!], outputs: [p.outputCol ?? `${uid}__output`], thresholds: [p.threshold] };
}

function binarizerStage(p: Params, info: StageInfo): Transformer {
  const { inputs, outputs, thresholds } = columnsOf(p, info.uid);
  const where = (i: number) => `${info.name}.${p.inputCols ? `inputCols[${i}]` : "inputCol"}`;
  const checkSchema = (schema: Schema): Schema => {
    inputs.forEach((c, i) => requireNumeric(schema, c, where(i)));
    outputs.forEach((c, i) => {
      // Spark: "Output column ... already exists."
      if (schema.fields.some((f) => f.name === c))
        throw new InputError(
          "E_COLUMN",
          `${info.name}.${p.outputCols ? `outputCols[${i}]` : "outputCol"}: output column "${c}" already exists (Spark's Binarizer refuses to replace a column); pick another name`,
        );
    });
    return schemaWith(
      schema,
      outputs.map((c) => new Field(c, new Float64(), false)),
    );
  };
  return {
    role: "transformer",
    type: TYPE,
    ...info,
    params: p,
    transformSchema: checkSchema,
    transform(table: Table) {
      checkSchema(table.schema);
      const cols: Record<string, Vector> = {};
      inputs.forEach((c, i) => {
        const values = binarize(table.getChild(c) as Vector, thresholds[i]);
        cols[outputs[i]] = makeVector(makeData({ type: new Float64(), length: values.length, nullCount: 0, data: values }));
      });
      return withColumns(table, cols);
    },
    save: () => saved(p, info),
  };
}

/** Spark's DefaultParamsWriter layout; `thresholds` is a DoubleArrayParam, whose entries Spark decodes only as doubles. */
function saved(p: Params, info: StageInfo): SavedStage {
  const all: Record<string, unknown> = { ...p, outputCol: p.inputCol !== undefined ? (p.outputCol ?? `${info.uid}__output`) : undefined };
  const maps = sparkParamMaps(all, info.explicitParams, undefined, params);
  for (const m of [maps.paramMap, maps.defaultParamMap])
    if (Array.isArray(m.thresholds)) m.thresholds = (m.thresholds as number[]).map((x) => new SparkDouble(x));
  return { className: CLASS, uid: info.uid, ...maps };
}

export const binarizer = defineStage({
  type: TYPE,
  role: "transformer",
  doc:
    "Spark's Binarizer: a Double column that is 1.0 where the input is strictly greater than threshold and 0.0 " +
    "elsewhere (NaN and null give 0.0, as in Spark), for one column or several (inputCols, thresholds). Use it to " +
    'train an implicit model on "liked" (rating > 3.5). In prepare: or inside pipeline:, where it is saved with the ' +
    "model under Spark's class and applied by predict.",
  sparkClass: CLASS,
  uidPrefix: "binarizer",
  params,
  create: (p, info) => binarizerStage(p, info),
  loaders: {
    [CLASS]: (s): Transformer => {
      // Spark writes outputCol's default even in multi-column mode; it is not an explicit single-column param then.
      const thresholds = (v: unknown) =>
        Array.isArray(v) ? v.map((x) => (x instanceof SparkDouble ? x.value : x === "NaN" ? NaN : x === "Inf" ? Infinity : x === "-Inf" ? -Infinity : x)) : v;
      const paramMap: Record<string, unknown> = {
        ...s.paramMap,
        ...(s.paramMap.thresholds !== undefined ? { thresholds: thresholds(s.paramMap.thresholds) } : {}),
      };
      const defaults = { ...(s.defaultParamMap ?? {}) };
      if (paramMap.inputCols !== undefined) delete defaults.outputCol;
      const { params: p, info } = savedParamsAndInfo(params, TYPE, { ...s, paramMap, defaultParamMap: defaults });
      return binarizerStage(p, info);
    },
  },
  example: () => ({
    params: { inputCol: "rating", outputCol: "liked", threshold: 3.5 },
    train: new Table({ rating: vectorFromArray([5, 3.5, NaN, null, 1]) }),
  }),
});
