import { z } from "zod";
import type { StageDefinition, StageRole } from "../core/define-stage.js";
import { parseParams } from "../core/define-stage.js";
import { didYouMean, suggest } from "../core/errors.js";
import { issuesFromZod, SpecError, type ParamIssue } from "../core/param-issues.js";
import type { StageRegistry } from "../core/registry.js";
import { syntheticRatingsParams } from "../io/synthetic-ratings.js";

/** A stage as the pipeline file declares it, after validation: params have every default filled in. */
export interface StageSpec {
  type: string;
  name: string;
  /** Validated params, defaults applied. */
  params: Record<string, unknown>;
  /** Params as written (after --set): Spark's "explicitly set" params. */
  raw: Record<string, unknown>;
}

export const fileSourceParams = z
  .object({
    path: z.string().min(1).describe("data file (or Spark-style folder of part files), relative to the pipeline file"),
    format: z.enum(["csv", "tsv", "jsonl", "parquet", "arrow"]).optional().describe("file format; default from the extension"),
    header: z.boolean().optional().describe("csv/tsv: first line holds column names (default true unless `columns` is given)"),
    columns: z.array(z.string().min(1)).optional().describe("column names, in file order (names a headerless file, renames otherwise)"),
    delimiter: z.string().min(1).max(16).optional().describe('field delimiter, one or more characters (default , for csv, tab for tsv; "::" for MovieLens 1M)'),
    encoding: z.enum(["utf-8", "latin1"]).optional().describe("text encoding (default utf-8)"),
    types: z
      .record(z.string(), z.enum(["string", "int32", "float32", "float64", "int64"]))
      .optional()
      .describe("declared column types; others are inferred"),
    nullValues: z
      .array(z.string())
      .optional()
      .describe(
        'csv/tsv/jsonl: cells equal to one of these strings read as null (pandas\' na_values, Spark\'s nullValue), e.g. ["", "N/A"]; an empty cell is always null',
      ),
  })
  .strict();

export type FileSourceSpec = z.output<typeof fileSourceParams> & { kind: "file" };
export type SyntheticSourceSpec = z.output<typeof syntheticRatingsParams> & { kind: "synthetic"; type: "synthetic-ratings" };
export type SourceSpec = FileSourceSpec | SyntheticSourceSpec;

/** `items:` beside `source`: item attributes (titles, ...) joined by the original item id into recommendations. */
export const itemsParams = fileSourceParams
  .extend({
    idCol: z.string().min(1).describe("column of the items file holding the item id as the ratings write it (MovieLens movies.csv: movieId)"),
    cols: z.array(z.string().min(1)).min(1).optional().describe("attribute columns to join (default: every column but idCol)"),
  })
  .strict();
export type ItemsSpec = z.output<typeof itemsParams>;

/** The trivial baselines a run scores beside the model when the file has no `baselines:` (and the names it accepts). */
export const BUILTIN_BASELINES = ["global-mean", "bias-baseline", "most-popular"] as const;

/** One entry of `baselines:`: a built-in baseline fitted with the model's columns, or an extra model pipeline. */
export type BaselineSpec = { kind: "builtin"; type: string; name: string } | { kind: "pipeline"; name: string; pipeline: StageSpec[] };

const idList = z.union([z.literal("all"), z.array(z.union([z.string(), z.number()])).min(1)]);

export const recommendParams = z
  .object({
    k: z.number().int().min(1).default(10).describe("items per user (and users per item)"),
    users: idList
      .optional()
      .describe(
        'top items for each user: "all" or a list of user ids (original ids); default "all" unless `items` or `similarItems` is given (Spark: recommendForAllUsers / recommendForUserSubset)',
      ),
    items: idList
      .optional()
      .describe(
        'top users for each item: "all" or a list of item ids (original ids), written to item-recommendations.parquet (Spark: recommendForAllItems / recommendForItemSubset)',
      ),
    similarItems: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "k most similar items of every item the model knows, by cosine of ALS item factors or by item-knn similarity, written to similar-items.parquet (<item col>, rank, similar<Item col>, score)",
      ),
    excludeSeen: z
      .boolean()
      .default(true)
      .describe("never return a (user, item) pair rated in training, in either direction (Spark excludes nothing: set false for Spark's lists)"),
  })
  .strict();

export const outputParams = z
  .object({ dir: z.string().min(1).default("runs").describe("folder that receives run directories, relative to the pipeline file") })
  .strict();

/** `tracking:`: where a finished run is logged (src/tracking reads it; MLFLOW_* variables and --track take precedence). */
export const trackingParams = z
  .object({
    mlflow: z
      .string()
      .min(1)
      // The resolved pipeline.yaml keeps this block: a password in it would land in every run directory.
      .refine(
        (u) => !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(u),
        "must not hold credentials (user:password@ or token@); set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD instead",
      )
      .optional()
      .describe(
        "MLflow tracking server, http(s)://HOST:PORT[/PATH] (env MLFLOW_TRACKING_URI and --track take precedence); credentials come from MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD, never from this file",
      ),
    experiment: z
      .string()
      .min(1)
      .optional()
      .describe("MLflow experiment, created when missing (default: the pipeline's name; env MLFLOW_EXPERIMENT_NAME and --experiment take precedence)"),
  })
  .strict();

/**
 * The pipeline file's top-level keys: the one declaration both the loader (here) and `recpipe schema` (which refines
 * the stage sections into per-stage unions) use, so the two cannot drift.
 */
export const topLevel = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-'")
      .describe("names the run directory"),
    seed: z.number().int().default(42).describe("seeds every random step that sets none of its own"),
    include: z.array(z.string()).optional().describe("fragments (e.g. from configs/) merged in before this file's own keys"),
    plugins: z.array(z.string()).default([]).describe("modules that define extra stages with defineStage()"),
    source: z.record(z.string(), z.unknown()).describe("a data file, or {type: synthetic-ratings, ...}"),
    items: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("item attributes {path, idCol, cols} joined by item id into recommendations, the CLI's output and the report"),
    prepare: z
      .array(z.record(z.string(), z.unknown()))
      .default([])
      .describe("data preparation: transformer steps applied in order to the whole source before the split; recorded in the run, not saved in the model"),
    split: z
      .record(z.string(), z.unknown())
      .default({ type: "random-split", weights: [0.8, 0.2] })
      .describe("produces train and test"),
    pipeline: z.array(z.record(z.string(), z.unknown())).min(1).describe("stages fitted on train, applied to test"),
    evaluate: z
      .array(z.record(z.string(), z.unknown()))
      .default([{ type: "regression-evaluator", metricName: "rmse" }])
      .describe("evaluators run on the test predictions"),
    baselines: z
      .array(z.union([z.string(), z.record(z.string(), z.unknown())]))
      .optional()
      .describe(
        "models scored beside the pipeline with the same split and evaluators: built-in names (global-mean, bias-baseline, most-popular; the default is all three) and {name, pipeline: [...]} model pipelines",
      ),
    tune: z.record(z.string(), z.unknown()).optional().describe("hyperparameter search on train"),
    recommend: z.record(z.string(), z.unknown()).optional().describe("writes recommendations.parquet"),
    output: z.record(z.string(), z.unknown()).default({ dir: "runs" }).describe("where run directories go"),
    tracking: z.record(z.string(), z.unknown()).optional().describe("log the finished run to an MLflow tracking server"),
  })
  .strict();

export interface TuneSpec extends StageSpec {
  evaluator: StageSpec;
  /** Grid in file order: key "stage.param" -> validated values. */
  grid: { stage: string; param: string; values: unknown[] }[];
}

export interface PipelineSpec {
  name: string;
  seed: number;
  plugins: string[];
  source: SourceSpec;
  items?: ItemsSpec;
  /** `prepare:` steps (transformers), applied in order to the whole source before the split. */
  prepare: StageSpec[];
  split: StageSpec;
  pipeline: StageSpec[];
  evaluate: StageSpec[];
  baselines: BaselineSpec[];
  tune?: TuneSpec;
  recommend?: z.output<typeof recommendParams>;
  output: z.output<typeof outputParams>;
  tracking?: z.output<typeof trackingParams>;
}

/**
 * Validates a merged pipeline object against the registry and returns the spec, or throws one SpecError listing every
 * problem with its key path (the loader adds file positions).
 */
export function validateSpec(input: unknown, registry: StageRegistry): PipelineSpec {
  const issues: ParamIssue[] = [];
  const top = topLevel.safeParse(input);
  if (!top.success) {
    issues.push(...issuesFromZod(top.error, input, (p) => (p.length === 0 ? Object.keys(topLevel.shape) : [])));
    throw new SpecError(issues);
  }
  const t = top.data;
  const section = <T>(fn: () => T, at: (string | number)[]): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof SpecError) issues.push(...e.issues.map((i) => ({ path: [...at, ...i.path], message: i.message })));
      else if (e instanceof Error && "exitCode" in e && (e as { exitCode: number }).exitCode === 2) issues.push({ path: at, message: e.message });
      else throw e;
      return undefined;
    }
  };
  const source = section(() => validateSource(t.source), ["source"]);
  const items = t.items === undefined ? undefined : section(() => parseWith(itemsParams, t.items), ["items"]);
  const prepare = t.prepare.map((s, i) => section(() => validateStage(s, registry, "transformer", []), ["prepare", i]));
  issues.push(...prepareIssues(prepare));
  const split = section(() => validateStage(t.split, registry, "split", []), ["split"]);
  const pipeline = t.pipeline.map((s, i) => section(() => validateStage(s, registry, ["estimator", "transformer"], []), ["pipeline", i]));
  pipeline.forEach((s, i) => {
    if (s && registry.get(s.type).prepareOnly)
      issues.push({
        path: ["pipeline", i, "type"],
        message: `${s.type} drops rows, so it is a prepare step, not part of a fitted model: move it to \`prepare:\``,
      });
  });
  const evaluate = t.evaluate.map((s, i) => section(() => validateStage(s, registry, "evaluator", []), ["evaluate", i]));
  const recommend = t.recommend === undefined ? undefined : section(() => parseWith(recommendParams, t.recommend), ["recommend"]);
  const output = section(() => parseWith(outputParams, t.output), ["output"]);
  const tracking = t.tracking === undefined ? undefined : section(() => parseWith(trackingParams, t.tracking), ["tracking"]);
  const names = new Map<string, number>();
  pipeline.forEach((s, i) => {
    if (!s) return;
    if (s.name.includes(".")) issues.push({ path: ["pipeline", i, "name"], message: `must not contain "."; got "${s.name}"` });
    if (names.has(s.name))
      issues.push({
        path: ["pipeline", i, "name"],
        message: `"${s.name}" is already the name of pipeline[${names.get(s.name)}]; give one of them a distinct \`name\``,
      });
    names.set(s.name, i);
    // index-to-string's labelsFrom is resolved when the pipeline is fitted: it must name a string-indexer that is
    // fitted before it, or the run would fail only after reading and fitting everything.
    const from = (s.params as { labelsFrom?: unknown }).labelsFrom;
    if (typeof from === "string") {
      const j = names.get(from);
      const earlier = pipeline
        .slice(0, i)
        .map((x) => x?.name)
        .filter((n): n is string => !!n);
      if (j === undefined || j >= i) {
        const later = pipeline.findIndex((x, k) => k > i && x?.name === from);
        issues.push({
          path: ["pipeline", i, "labelsFrom"],
          message:
            later >= 0
              ? `names "${from}", which is pipeline[${later}], after this stage; the string-indexer must come earlier`
              : `no earlier pipeline stage is named "${from}"; earlier stages: ${earlier.join(", ") || "(none)"}`,
        });
      } else if (pipeline[j]?.type !== "string-indexer") {
        issues.push({ path: ["pipeline", i, "labelsFrom"], message: `names "${from}", a ${pipeline[j]?.type} stage; it must name a string-indexer` });
      }
    }
  });
  const baselines = section(() => validateBaselines(t.baselines, registry), ["baselines"]);
  const stagesByName = new Map(pipeline.filter((s): s is StageSpec => !!s).map((s) => [s.name, s]));
  const tune = t.tune === undefined ? undefined : section(() => validateTune(t.tune!, registry, stagesByName), ["tune"]);
  if (issues.length > 0) throw new SpecError(issues);
  const stageSpecs = pipeline as StageSpec[];
  for (const e of [...(evaluate as StageSpec[]), ...(tune ? [tune.evaluator] : [])]) inheritModelColumns(e, stageSpecs);
  return {
    name: t.name,
    seed: t.seed,
    plugins: t.plugins,
    source: source!,
    ...(items ? { items } : {}),
    baselines: baselines!,
    prepare: prepare as StageSpec[],
    split: split!,
    pipeline: pipeline as StageSpec[],
    evaluate: evaluate as StageSpec[],
    tune,
    recommend,
    output: output!,
    ...(tracking ? { tracking } : {}),
  };
}

/** Prepare step names address them in `--set prepare.<name>.<param>`: unique, without ".". */
function prepareIssues(steps: (StageSpec | undefined)[]): ParamIssue[] {
  const issues: ParamIssue[] = [];
  const names = new Map<string, number>();
  steps.forEach((s, i) => {
    if (!s) return;
    if (s.name.includes(".")) issues.push({ path: ["prepare", i, "name"], message: `must not contain "."; got "${s.name}"` });
    const j = names.get(s.name);
    if (j !== undefined)
      issues.push({
        path: ["prepare", i, "name"],
        message: `"${s.name}" is already the name of prepare[${j}]; give one of them a distinct \`name\` (it addresses the step in --set prepare.<name>.<param>)`,
      });
    names.set(s.name, i);
  });
  return issues;
}

function parseWith<S extends z.ZodObject>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new SpecError(issuesFromZod(r.error, raw, () => Object.keys(schema.shape)));
  return r.data;
}

function validateSource(raw: Record<string, unknown>): SourceSpec {
  if ("type" in raw) {
    if (raw.type !== "synthetic-ratings") {
      const s = suggest(String(raw.type), ["synthetic-ratings"]);
      throw new SpecError([
        {
          path: ["type"],
          message: `unknown built-in source "${String(raw.type)}"${s ? ` (did you mean "${s}"?)` : ""}; known: synthetic-ratings (or give a file \`path\`)`,
        },
      ]);
    }
    const { type: _t, ...rest } = raw;
    return { kind: "synthetic", type: "synthetic-ratings", ...parseWith(syntheticRatingsParams, rest) };
  }
  return { kind: "file", ...parseWith(fileSourceParams, raw) };
}

export function validateStage(raw: Record<string, unknown>, registry: StageRegistry, role: StageRole | StageRole[], at: (string | number)[]): StageSpec {
  const { type, name, ...params } = raw;
  if (typeof type !== "string")
    throw new SpecError([
      {
        path: [...at, "type"],
        message: `is required (one of: ${registry
          .list(Array.isArray(role) ? role : [role])
          .map((d) => d.type)
          .join(", ")})`,
      },
    ]);
  let def: StageDefinition;
  try {
    def = registry.get(type, role, "type");
  } catch (e) {
    throw new SpecError([{ path: [...at, "type"], message: (e as Error).message.replace(/^type: /, "") }]);
  }
  if (name !== undefined && (typeof name !== "string" || name.length === 0))
    throw new SpecError([{ path: [...at, "name"], message: `must be a non-empty string; got ${JSON.stringify(name)}` }]);
  const validated = parseParams(def, params) as Record<string, unknown>;
  return { type, name: (name as string | undefined) ?? type, params: validated, raw: params };
}

/**
 * `baselines:` (default: the three built-ins). A string names a built-in baseline; a mapping {name, pipeline} is a
 * model pipeline of its own, fitted on the same training rows and scored by the same evaluators as the main one.
 */
function validateBaselines(raw: unknown[] | undefined, registry: StageRegistry): BaselineSpec[] {
  if (raw === undefined) return BUILTIN_BASELINES.map((type) => ({ kind: "builtin", type, name: type }));
  const issues: ParamIssue[] = [];
  const out: BaselineSpec[] = [];
  const seen = new Map<string, number>();
  raw.forEach((entry, i) => {
    let spec: BaselineSpec | undefined;
    if (typeof entry === "string") {
      if (!(BUILTIN_BASELINES as readonly string[]).includes(entry)) {
        issues.push({
          path: [i],
          message: `expected a built-in baseline (${BUILTIN_BASELINES.join(", ")}) or {name, pipeline: [...]}; got "${entry}"${didYouMean(entry, BUILTIN_BASELINES)}`,
        });
        return;
      }
      spec = { kind: "builtin", type: entry, name: entry };
    } else {
      const e = entry as Record<string, unknown>;
      const unknown = Object.keys(e).filter((k) => k !== "name" && k !== "pipeline");
      for (const k of unknown)
        issues.push({ path: [i, k], message: `unknown key; a model baseline has \`name\` and \`pipeline\`${didYouMean(k, ["name", "pipeline"])}` });
      if (typeof e.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(e.name)) {
        issues.push({
          path: [i, "name"],
          message: `expected a name of letters, digits, '_' or '-' (it keys the baseline's metrics); got ${JSON.stringify(e.name)}`,
        });
      }
      if (!Array.isArray(e.pipeline) || e.pipeline.length === 0) {
        issues.push({ path: [i, "pipeline"], message: `expected a non-empty list of stages, as the top-level pipeline; got ${JSON.stringify(e.pipeline)}` });
        return;
      }
      const stages: StageSpec[] = [];
      (e.pipeline as unknown[]).forEach((s, j) => {
        try {
          if (!s || typeof s !== "object" || Array.isArray(s))
            throw new SpecError([{ path: [], message: `expected a stage {type: ..., ...}; got ${JSON.stringify(s)}` }]);
          stages.push(validateStage(s as Record<string, unknown>, registry, ["estimator", "transformer"], []));
        } catch (err) {
          if (!(err instanceof SpecError)) throw err;
          issues.push(...err.issues.map((x) => ({ path: [i, "pipeline", j, ...x.path], message: x.message })));
        }
      });
      if (typeof e.name !== "string") return;
      spec = { kind: "pipeline", name: e.name, pipeline: stages };
    }
    if (seen.has(spec.name))
      issues.push({ path: [i], message: `"${spec.name}" is already baselines[${seen.get(spec.name)}]; give each baseline a distinct name` });
    seen.set(spec.name, i);
    out.push(spec);
  });
  if (issues.length > 0) throw new SpecError(issues);
  return out;
}

function validateTune(raw: Record<string, unknown>, registry: StageRegistry, stages: Map<string, StageSpec>): TuneSpec {
  const base = validateStage(raw, registry, "tuner", []);
  const issues: ParamIssue[] = [];
  let evaluator: StageSpec | undefined;
  try {
    evaluator = validateStage(base.params.evaluator as Record<string, unknown>, registry, "evaluator", []);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    issues.push(...e.issues.map((i) => ({ path: ["evaluator", ...i.path], message: i.message })));
  }
  const grid: TuneSpec["grid"] = [];
  const gridOnly = base.params.paramGrid as Record<string, unknown[]>;
  const baseOn = base.params.baseOn as Record<string, unknown>;
  for (const key of Object.keys(baseOn)) {
    if (key in gridOnly)
      issues.push({ path: ["baseOn", key], message: `is also a paramGrid key; a param is either fixed (baseOn) or searched (paramGrid), not both` });
  }
  // PySpark's baseOn is addGrid(param, [value]): one-value entries, before the searched ones.
  const rawGrid: Record<string, unknown[]> = { ...Object.fromEntries(Object.entries(baseOn).map(([k, v]) => [k, [v]])), ...gridOnly };
  const at = (key: string, i: number): (string | number)[] => (key in baseOn && !(key in gridOnly) ? ["baseOn", key] : ["paramGrid", key, i]);
  if (Object.keys(gridOnly).length === 0)
    issues.push({
      path: ["paramGrid"],
      message: 'is empty; a search needs at least one `stage.param: [values]` entry (Spark: "Validator requires non-empty estimatorParamMaps")',
    });
  for (const [key, values] of Object.entries(rawGrid)) {
    const dot = key.indexOf(".");
    const stageName = dot < 0 ? "" : key.slice(0, dot);
    const param = dot < 0 ? key : key.slice(dot + 1);
    const stage = stages.get(stageName);
    if (!stage) {
      const s = suggest(stageName || key, stages.keys());
      issues.push({
        path: at(key, 0).slice(0, 2),
        message: `must be "<stage name>.<param>"; no pipeline stage is named "${stageName || key}"${s ? ` (did you mean "${s}"?)` : ""}; stages: ${[...stages.keys()].join(", ")}`,
      });
      continue;
    }
    const def = registry.get(stage.type);
    const known = Object.keys(def.params.shape);
    if (!known.includes(param)) {
      const s = suggest(param, known);
      issues.push({
        path: at(key, 0).slice(0, 2),
        message: `stage "${stageName}" (${stage.type}) has no param "${param}"${s ? ` (did you mean "${s}"?)` : ""}`,
      });
      continue;
    }
    const ok: unknown[] = [];
    values.forEach((v, i) => {
      try {
        const parsed = parseParams(def, { ...stage.raw, [param]: v }) as Record<string, unknown>;
        ok.push(parsed[param]);
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        for (const iss of e.issues) issues.push({ path: at(key, i), message: iss.message });
      }
    });
    grid.push({ stage: stageName, param, values: ok });
  }
  if (issues.length > 0) throw new SpecError(issues);
  return { ...base, evaluator: evaluator!, grid };
}

/**
 * An evaluator that does not name its label or prediction column scores the pipeline's model: labelCol defaults to
 * the last model's ratingCol and predictionCol to its predictionCol (Spark's fixed defaults "label"/"prediction"
 * would make users repeat the column names they already gave ALS).
 */
function inheritModelColumns(evaluator: StageSpec, pipeline: StageSpec[]): void {
  const model = [...pipeline].reverse().find((s) => typeof s.params.ratingCol === "string" && s.params.ratingCol !== "");
  if (!model) return;
  if ("labelCol" in evaluator.params && !("labelCol" in evaluator.raw)) evaluator.params.labelCol = model.params.ratingCol;
  if ("predictionCol" in evaluator.params && !("predictionCol" in evaluator.raw) && typeof model.params.predictionCol === "string") {
    evaluator.params.predictionCol = model.params.predictionCol;
  }
}
