import { Field, Float64, List, makeVector, Table, Utf8, vectorFromArray, type Schema, type Vector } from "apache-arrow";
import { z } from "zod";
import { defineStage, sparkParamMaps, type StageInfo, rebuildWithParams } from "../src/core/define-stage.js";
import { InputError } from "../src/core/errors.js";
import { paramsFromSaved } from "../src/core/saved-params.js";
import type { SavedStage } from "../src/core/saved-stage.js";
import type { Estimator, IndexLabels, Model } from "../src/core/stage.js";
import type { RunContext } from "../src/core/run-context.js";
import { countByValue, integerRange, mapByValue, NULL_ROW } from "../src/core/integer-values.js";
import { stringCodes } from "../src/core/string-codes.js";
import { describeType, filterRows, isNumericType, isStringType, requireField, schemaWith, withColumns } from "../src/core/table.js";

const CLASS = "org.apache.spark.ml.feature.StringIndexer";
const MODEL_CLASS = "org.apache.spark.ml.feature.StringIndexerModel";
const TYPE = "string-indexer";

const stringOrderTypes = ["frequencyDesc", "frequencyAsc", "alphabetDesc", "alphabetAsc"] as const;
export type StringOrderType = (typeof stringOrderTypes)[number];

const params = z
  .object({
    inputCol: z
      .string()
      .min(1)
      .optional()
      .describe('input column (single-column mode): string or numeric; numbers are matched on Spark\'s cast to string (5 -> "5", 5.0 -> "5.0")'),
    outputCol: z.string().min(1).optional().describe('output column (single-column mode), Double indices; default: uid + "__output"'),
    inputCols: z.array(z.string().min(1)).min(1).optional().describe("input columns (multi-column mode); excludes inputCol/outputCol"),
    outputCols: z.array(z.string().min(1)).min(1).optional().describe("output columns (multi-column mode), one per input column, distinct"),
    handleInvalid: z
      .enum(["error", "skip", "keep"])
      .default("error")
      .describe("unseen labels or NULL values at transform: error (fail), skip (drop the row), keep (index numLabels)"),
    stringOrderType: z
      .enum(stringOrderTypes)
      .default("frequencyDesc")
      .describe("label order: frequencyDesc (most frequent gets 0; ties by string ascending), frequencyAsc (ties also ascending), alphabetDesc, alphabetAsc"),
  })
  .superRefine((p, ctx) => {
    // Spark's ParamValidators.checkSingleVsMultiColumnParams, checked when the YAML loads.
    const single = p.inputCol !== undefined;
    const multi = p.inputCols !== undefined;
    if (single && multi)
      ctx.addIssue({ code: "custom", path: ["inputCols"], message: "cannot be set together with inputCol: use inputCol/outputCol or inputCols/outputCols" });
    else if (!single && !multi) ctx.addIssue({ code: "custom", path: ["inputCol"], message: "is required (or inputCols for several columns)" });
    if (multi && p.outputCol !== undefined) ctx.addIssue({ code: "custom", path: ["outputCol"], message: "cannot be used with inputCols; use outputCols" });
    if (single && p.outputCols !== undefined) ctx.addIssue({ code: "custom", path: ["outputCols"], message: "cannot be used with inputCol; use outputCol" });
    if (multi) {
      if (p.outputCols === undefined) ctx.addIssue({ code: "custom", path: ["outputCols"], message: "is required with inputCols" });
      else if (p.outputCols.length !== p.inputCols!.length)
        ctx.addIssue({
          code: "custom",
          path: ["outputCols"],
          message: `must have as many entries as inputCols (${p.inputCols!.length}); got ${p.outputCols.length}`,
        });
      else if (new Set(p.outputCols).size !== p.outputCols.length)
        ctx.addIssue({ code: "custom", path: ["outputCols"], message: "must be distinct column names" });
    }
  });
type Params = z.output<typeof params>;

/** Input and output column pairs of a built indexer (single mode uses Spark's `uid__output` default). */
function columnsOf(p: Params, uid: string): { inputs: string[]; outputs: string[] } {
  if (p.inputCols) return { inputs: p.inputCols, outputs: p.outputCols ?? [] };
  return { inputs: [p.inputCol!], outputs: [p.outputCol ?? `${uid}__output`] };
}

/** The learned labels for one column, ordered as Spark's StringIndexer orders them. Nulls are never counted. */
export function orderLabels(labels: readonly string[], counts: ArrayLike<number>, order: StringOrderType): string[] {
  const idx: number[] = [];
  for (let c = 0; c < labels.length; c++) if (counts[c] > 0) idx.push(c);
  // Spark sorts Scala Strings (`labels.sorted`, and `sortBy(_._1)` before the count sort): UTF-16 code units, which
  // is JavaScript's own string order. It differs from UTF-8 byte order beyond the BMP (a surrogate pair sorts before
  // U+E000..U+FFFF); test/interop/string-order.test.ts checks all four orders against Spark's own labelsArray.
  const byString = (a: number, b: number) => (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : 0);
  switch (order) {
    case "frequencyDesc":
      idx.sort((a, b) => counts[b] - counts[a] || byString(a, b));
      break;
    case "frequencyAsc":
      idx.sort((a, b) => counts[a] - counts[b] || byString(a, b));
      break;
    case "alphabetAsc":
      idx.sort(byString);
      break;
    case "alphabetDesc":
      idx.sort((a, b) => byString(b, a));
      break;
  }
  return idx.map((c) => labels[c]);
}

function checkInputType(schema: Schema, col: string, where: string): void {
  const f = requireField(schema, col, where);
  if (!isStringType(f.type) && !isNumericType(f.type) && f.type.toString() !== "Bool")
    throw new InputError("E_COLUMN", `${where}: column "${col}" must be a string or numeric column; found ${describeType(f.type)}`);
}

export const stringIndexer = defineStage({
  type: TYPE,
  role: "estimator",
  doc:
    "Spark's StringIndexer: maps each distinct string (or number, cast to string) of a column to a Double index, " +
    "most frequent first by default. Use it to turn user and item ids into the dense indices ALS needs; its model " +
    "keeps the labels so recommendations can be mapped back to the original ids.",
  sparkClass: CLASS,
  uidPrefix: "strIdx",
  params,
  create(p, info): Estimator {
    const { inputs, outputs } = columnsOf(p, info.uid);
    const self: Estimator = {
      role: "estimator",
      type: TYPE,
      ...info,
      params: p,
      transformSchema(schema) {
        inputs.forEach((c, i) => checkInputType(schema, c, `${info.name}.${p.inputCols ? `inputCols[${i}]` : "inputCol"}`));
        return schemaWith(
          schema,
          outputs.map((o) => new Field(o, new Float64(), false)),
        );
      },
      async fit(table, ctx) {
        self.transformSchema(table.schema);
        const task = ctx.progress.start(`${info.name}: counting labels`, inputs.length, "columns");
        const labelsArray = inputs.map((col, i) => {
          const { labels, counts } = labelCounts(table.getChild(col) as Vector, col, info.name);
          task.tick(i + 1);
          return orderLabels(labels, counts, p.stringOrderType);
        });
        task.done();
        return stringIndexerModel(p, info, labelsArray);
      },
      withParams: (o) => rebuildWithParams(stringIndexer, p, info, o),
      save: () => saved(CLASS, info.uid, p, info.explicitParams),
    };
    return self;
  },
  loaders: {
    [CLASS]: (s): Estimator => {
      const { raw, explicit } = fromSaved(s);
      return stringIndexer.create(params.parse(raw), { uid: s.uid, name: TYPE, explicitParams: explicit });
    },
    [MODEL_CLASS]: (s) => {
      const { raw, explicit } = fromSaved(s);
      return stringIndexerModel(params.parse(raw), { uid: s.uid, name: TYPE, explicitParams: explicit }, readLabels(s));
    },
  },
  example: () => ({
    params: { inputCols: ["user", "item"], outputCols: ["userIndex", "itemIndex"], handleInvalid: "keep" },
    train: new Table({
      user: vectorFromArray(["u1", "u2", "u1", "u3", "u2", "u1"], new Utf8()),
      item: makeVector(new Int32Array([10, 20, 20, 30, 10, 20])),
    }),
    test: new Table({
      user: vectorFromArray(["u1", "u4", null, "u3"], new Utf8()),
      item: makeVector(new Int32Array([10, 99, 30, 20])),
    }),
  }),
});

function fromSaved(s: SavedStage): ReturnType<typeof paramsFromSaved> {
  const multi = "inputCols" in s.paramMap;
  // Spark writes the HasOutputCol default (uid__output) even in multi-column mode; it must not count as set.
  return paramsFromSaved(s, Object.keys(params.shape), multi ? ["outputCol", "inputCol"] : ["inputCols", "outputCols"]);
}

/** labelsArray (Spark 3+) or labels (Spark 2.x, one column) from the saved `data` table. */
function readLabels(s: SavedStage): string[][] {
  const data = s.tables?.data;
  const at = s.origin ?? `StringIndexerModel ${s.uid}`;
  if (!data || data.numRows < 1) throw new InputError("E_MODEL", `${at}: StringIndexerModel needs a data/ table with one row; it is missing or empty`);
  const toStrings = (v: unknown): string[] => [...(v as Iterable<string | null>)].map((x) => String(x));
  const arr = data.getChild("labelsArray");
  if (arr) return [...(arr.get(0) as Iterable<unknown>)].map(toStrings);
  const single = data.getChild("labels");
  if (single) return [toStrings(single.get(0))];
  throw new InputError("E_MODEL", `${at}/data: has neither labelsArray nor labels; columns are: ${data.schema.fields.map((f) => f.name).join(", ")}`);
}

function saved(className: string, uid: string, p: Params, explicit: ReadonlySet<string>): SavedStage {
  // Spark's defaults: outputCol = uid + "__output" always sits in defaultParamMap unless set.
  const withDefaults: Record<string, unknown> = { ...p, outputCol: p.outputCol ?? `${uid}__output` };
  return { className, uid, ...sparkParamMaps(withDefaults, explicit) };
}

/** A fitted StringIndexerModel: `labelsArray[i]` holds the labels of `inputCols[i]`, index = position. */
export interface StringIndexerModel extends Model, IndexLabels {
  readonly labelsArray: string[][];
  readonly inputCols: readonly string[];
  readonly outputCols: readonly string[];
}

export function isStringIndexerModel(x: unknown): x is StringIndexerModel {
  return typeof x === "object" && x !== null && (x as Model).type === TYPE && Array.isArray((x as StringIndexerModel).labelsArray);
}

function stringIndexerModel(p: Params, info: StageInfo, labelsArray: string[][]): StringIndexerModel {
  const { inputs, outputs } = columnsOf(p, info.uid);
  if (labelsArray.length !== inputs.length)
    throw new InputError("E_MODEL", `StringIndexerModel ${info.uid}: ${labelsArray.length} label lists for ${inputs.length} input columns`);
  const lookups = labelsArray.map((labels) => new Map(labels.map((l, i) => [l, i])));
  const present = (schema: Schema) => inputs.map((c, i) => i).filter((i) => schema.fields.some((f) => f.name === inputs[i]));

  return {
    role: "model",
    type: TYPE,
    ...info,
    params: p,
    labelsArray,
    inputCols: inputs,
    outputCols: outputs,
    // IndexLabels (src/core/stage.ts): lets recommendations and `recommend --user` speak the data's own ids.
    labelsFor: (outputCol: string) => {
      const i = outputs.indexOf(outputCol);
      return i < 0 ? undefined : labelsArray[i];
    },
    inputColFor: (outputCol: string) => {
      const i = outputs.indexOf(outputCol);
      return i < 0 ? undefined : inputs[i];
    },
    transformSchema(schema) {
      const cols = present(schema);
      cols.forEach((i) => checkInputType(schema, inputs[i], `${info.name}.${p.inputCols ? `inputCols[${i}]` : "inputCol"}`));
      return schemaWith(
        schema,
        cols.map((i) => new Field(outputs[i], new Float64(), false)),
      );
    },
    transform(table: Table, ctx: RunContext) {
      const cols = present(table.schema);
      for (let i = 0; i < inputs.length; i++)
        if (!cols.includes(i)) ctx.warn(`${info.name}: input column "${inputs[i]}" is not in the data; skipping it (as Spark does)`);
      if (cols.length === 0) return table;
      const n = table.numRows;
      const keep = p.handleInvalid === "skip" ? new Uint8Array(n).fill(1) : undefined;
      const out: Record<string, Vector> = {};
      for (const i of cols) {
        const col = inputs[i];
        const v = table.getChild(col) as Vector;
        const numLabels = labelsArray[i].length;
        // Each row's index, NULL_ROW for null and -1 for an unseen label, written over in place below.
        const values = rowIndices(v, lookups[i], col, info.name);
        for (let r = 0; r < n; r++) {
          const idx = values[r];
          if (idx >= 0) continue;
          if (p.handleInvalid === "keep") values[r] = numLabels;
          else if (p.handleInvalid === "skip") keep![r] = 0;
          else if (idx === NULL_ROW)
            throw new InputError(
              "E_DATA",
              `${info.name}: column "${col}" row ${r}: StringIndexer encountered NULL value. To handle or skip NULLS, try setting StringIndexer.handleInvalid.`,
            );
          else
            throw new InputError(
              "E_DATA",
              `${info.name}: column "${col}" row ${r}: Unseen label: ${labelOf(v, r)}. To handle unseen labels, set Param handleInvalid to keep.`,
            );
        }
        out[outputs[i]] = makeVector(values);
      }
      const result = withColumns(table, out);
      return keep ? filterRows(result, keep) : result;
    },
    save: () => ({
      ...saved(MODEL_CLASS, info.uid, p, info.explicitParams),
      tables: { data: labelsTable(labelsArray) },
    }),
  };
}

/**
 * A column's distinct labels (Spark's cast to string) and the rows holding each, nulls left out: an integer id
 * column is counted by value (integer-values.ts), any other through its codes.
 */
function labelCounts(v: Vector, col: string, where: string): { labels: string[]; counts: ArrayLike<number> } {
  const range = integerRange(v);
  if (range) {
    const byValue = countByValue(v, range);
    const labels: string[] = [];
    const counts: number[] = [];
    for (let k = 0; k < byValue.length; k++)
      if (byValue[k] > 0) {
        labels.push(String(range.min + k));
        counts.push(byValue[k]);
      }
    return { labels, counts };
  }
  const { codes, labels } = stringCodes(v, col, where);
  const counts = new Float64Array(labels.length);
  for (let r = 0; r < codes.length; r++) if (codes[r] >= 0) counts[codes[r]]++;
  return { labels, counts };
}

/** Each row's label index in `lookup` (-1 unseen, NULL_ROW for null), looked up once per distinct value. */
function rowIndices(v: Vector, lookup: ReadonlyMap<string, number>, col: string, where: string): Float64Array {
  const range = integerRange(v);
  if (range) return mapByValue(v, range, (x) => lookup.get(String(x)) ?? -1);
  const { codes, labels } = stringCodes(v, col, where);
  const codeToIndex = new Float64Array(labels.length);
  for (let c = 0; c < labels.length; c++) codeToIndex[c] = lookup.get(labels[c]) ?? -1;
  const out = new Float64Array(codes.length);
  for (let r = 0; r < codes.length; r++) out[r] = codes[r] < 0 ? NULL_ROW : codeToIndex[codes[r]];
  return out;
}

/** Row r's label as Spark casts it, for a message. */
function labelOf(v: Vector, r: number): string {
  const { labels, codes } = stringCodes(v.slice(r, r + 1), "", "");
  return codes[0] < 0 ? "null" : labels[codes[0]];
}

/** Spark's StringIndexerModel data: one row, `labelsArray: array<array<string>>`. */
export function labelsTable(labelsArray: string[][]): Table {
  const type = new List(new Field("element", new List(new Field("element", new Utf8(), true)), true));
  return new Table({ labelsArray: vectorFromArray([labelsArray], type) });
}
