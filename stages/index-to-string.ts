import { Dictionary, Field, Int32, makeData, makeVector, Table, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { z } from "zod";
import { defineStage, sparkParamMaps, type StageInfo } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import { paramsFromSaved } from "../src/core/saved-params.js";
import type { SavedStage } from "../src/core/saved-stage.js";
import type { NeedsLabels, Transformer } from "../src/core/stage.js";
import { isValid, requireNumeric, schemaWith, withColumns } from "../src/core/table.js";

const CLASS = "org.apache.spark.ml.feature.IndexToString";
const TYPE = "index-to-string";

const params = z
  .object({
    inputCol: z.string().min(1).describe("numeric column of indices (e.g. a StringIndexer output or ALS recommendations)"),
    outputCol: z.string().min(1).optional().describe('output string column; default: uid + "__output"'),
    labels: z.array(z.string()).optional().describe("the labels: index i becomes labels[i]"),
    labelsFrom: z
      .string()
      .min(1)
      .optional()
      .describe(
        "recpipe extension: the name of a string-indexer stage earlier in the pipeline whose fitted labels to use instead of labels: those of the indexer's output column named like inputCol, else of its first column",
      ),
  })
  .superRefine((p, ctx) => {
    if (p.labels !== undefined && p.labelsFrom !== undefined)
      ctx.addIssue({ code: "custom", path: ["labelsFrom"], message: "cannot be set together with labels" });
  });
type Params = z.output<typeof params>;

/** IndexToString, plus the hook the pipeline runner uses to resolve `labelsFrom` once the indexer is fitted. */
export interface IndexToString extends Transformer, NeedsLabels {
  readonly labels: readonly string[] | undefined;
  /** A copy using `labels` (what `labelsFrom` resolves to). */
  withLabels(labels: readonly string[]): IndexToString;
}

/**
 * Index -> label as Spark's IndexToString UDF: `idx = value.toInt` (truncation; NaN -> 0), in range -> label, else
 * "Unseen index". Nulls stay null. Returns dictionary codes (-1 for null) over `labels`.
 */
export function indexToLabelCodes(values: Float64Array, valid: Uint8Array | undefined, numLabels: number, where: string): Int32Array {
  const codes = new Int32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    if (valid && !valid[r]) {
      codes[r] = -1;
      continue;
    }
    const v = values[r];
    const idx = Number.isNaN(v) ? 0 : Math.trunc(v);
    if (!(idx >= 0 && idx < numLabels)) throw new InputError("E_DATA", `${where}: row ${r}: Unseen index: ${v} (there are ${numLabels} labels)`);
    codes[r] = idx;
  }
  return codes;
}

export const indexToString = defineStage({
  type: TYPE,
  role: "transformer",
  doc:
    "Spark's IndexToString: maps a column of indices back to their labels (the inverse of string-indexer). " +
    "Give the labels, or name a string-indexer stage with labelsFrom.",
  sparkClass: CLASS,
  uidPrefix: "idxToStr",
  params,
  create(p, info): IndexToString {
    return indexToStringStage(p, info, p.labels);
  },
  loaders: {
    [CLASS]: (s): IndexToString => {
      const { raw, explicit } = paramsFromSaved(s, Object.keys(params.shape));
      const from = s.extra?.recpipeLabelsFrom;
      if (typeof from === "string" && raw.labels === undefined) raw.labelsFrom = from;
      return indexToStringStage(params.parse(raw), { uid: s.uid, name: TYPE, explicitParams: explicit }, raw.labels as string[] | undefined);
    },
  },
  example: () => ({
    params: { inputCol: "itemIndex", outputCol: "item", labels: ["b", "a", "c"] },
    train: new Table({ itemIndex: makeVector(new Float64Array([0, 2, 1, 1])) }),
  }),
});

function indexToStringStage(p: Params, info: StageInfo, labels: readonly string[] | undefined): IndexToString {
  const outputCol = p.outputCol ?? `${info.uid}__output`;
  const outType = new Dictionary(new Utf8(), new Int32());
  const where = `${info.name}.inputCol`;
  const labelsNeeded = (): readonly string[] => {
    if (labels && labels.length > 0) return labels;
    if (p.labelsFrom !== undefined)
      throw new InputError(
        "E_SPEC",
        `${info.name}: labelsFrom "${p.labelsFrom}" was not resolved: it must name a string-indexer stage earlier in the pipeline`,
      );
    throw new InputError("E_SPEC", `${info.name}: IndexToString needs labels (or labelsFrom naming a string-indexer stage); none were given`);
  };
  const self: IndexToString = {
    role: "transformer",
    type: TYPE,
    ...info,
    params: p,
    labels,
    labelsSource: labels && labels.length > 0 ? undefined : p.labelsFrom,
    labelsColumn: p.inputCol,
    transformSchema(schema) {
      requireNumeric(schema, p.inputCol, where);
      return schemaWith(schema, [new Field(outputCol, outType, true)]);
    },
    transform(table: Table) {
      requireNumeric(table.schema, p.inputCol, where);
      const labs = labelsNeeded();
      const { values, valid } = numericWithValidity(table.getChild(p.inputCol) as Vector);
      const codes = indexToLabelCodes(values, valid, labs.length, where);
      let nullCount = 0;
      let nullBitmap: Uint8Array | undefined;
      if (valid) {
        nullBitmap = new Uint8Array((codes.length + 7) >> 3);
        for (let r = 0; r < codes.length; r++) {
          if (codes[r] >= 0) nullBitmap[r >> 3] |= 1 << (r & 7);
          else {
            codes[r] = 0;
            nullCount++;
          }
        }
      }
      // Dictionary-encoded output shares one labels vector: no string is copied per row.
      const dictionary = vectorFromArray([...labs], new Utf8());
      const data = makeData({ type: outType, length: codes.length, nullCount, nullBitmap, data: codes, dictionary });
      return withColumns(table, { [outputCol]: makeVector(data) });
    },
    withLabels(newLabels) {
      return indexToStringStage(p, info, [...newLabels]);
    },
    save: () => savedStage(info.uid, p, info.explicitParams, labels),
  };
  return self;
}

function savedStage(uid: string, p: Params, explicit: ReadonlySet<string>, labels: readonly string[] | undefined): SavedStage {
  const { labelsFrom, ...sparkParams } = p;
  // Resolved labels are saved as Spark's `labels` param so Spark can load the stage; labelsFrom is recpipe-only.
  const all: Record<string, unknown> = { ...sparkParams, outputCol: p.outputCol ?? `${uid}__output`, labels: labels ? [...labels] : undefined };
  const set = new Set(explicit);
  if (labels) set.add("labels");
  const maps = sparkParamMaps(all, set);
  return { className: CLASS, uid, ...maps, ...(labelsFrom !== undefined ? { extra: { recpipeLabelsFrom: labelsFrom } } : {}) };
}

/** A numeric column as Float64 plus a 0/1 validity array (undefined when there are no nulls). */
function numericWithValidity(v: Vector): { values: Float64Array; valid: Uint8Array | undefined } {
  const values = new Float64Array(v.length);
  const valid = v.nullCount > 0 ? new Uint8Array(v.length) : undefined;
  let o = 0;
  for (const d of v.data) {
    const vals = d.values as ArrayLike<number | bigint>;
    for (let i = 0; i < d.length; i++, o++) {
      const x = vals[d.offset + i];
      values[o] = typeof x === "bigint" ? Number(x) : x;
      if (valid) valid[o] = d.nullCount === 0 || isValid(d.nullBitmap, d.offset + i) ? 1 : 0;
    }
  }
  return { values, valid };
}
