import { createHash } from "node:crypto";
import type { Table } from "apache-arrow";
import { z } from "zod";
import type { SavedStage } from "./saved-stage.js";
import { SparkDouble } from "./spark-json.js";
import { paramsFromSaved } from "./saved-params.js";
import { issuesFromZod, SpecError } from "./param-issues.js";
import type { Estimator, Evaluator, FittedStage, Splitter, Transformer } from "./stage.js";

export type StageRole = "transformer" | "estimator" | "evaluator" | "split" | "tuner";

type RoleInstance = {
  transformer: Transformer;
  estimator: Estimator;
  evaluator: Evaluator;
  split: Splitter;
  tuner: TunerSettings;
};

/** Tuners (cross-validator, train-validation-split) are settings the pipeline runner acts on. */
export interface TunerSettings {
  readonly type: string;
  readonly uid: string;
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly explicitParams: ReadonlySet<string>;
}

/** Identity handed to `create`: uid, name and which params were explicitly set. */
export interface StageInfo {
  uid: string;
  name: string;
  explicitParams: ReadonlySet<string>;
}

/** Loads a saved Spark-layout stage of one class back into a fitted stage. */
export type StageLoader = (saved: SavedStage, load: (child: SavedStage) => FittedStage | Estimator | Evaluator) => FittedStage | Estimator | Evaluator;

/**
 * One declaration per stage: the zod schema is the param list (names, types, defaults,
 * `.describe()` docs, constraints). The YAML schema, `recpipe explain`, `recpipe schema`, the docs table and the
 * contract tests all derive from it.
 */
export interface StageDefinition<R extends StageRole = StageRole, S extends z.ZodObject = z.ZodObject> {
  /** YAML `type`, kebab-case, equal to the file name. */
  readonly type: string;
  readonly role: R;
  /** One paragraph for `recpipe explain` and the docs. */
  readonly doc: string;
  /** Spark class this stage mirrors (written as `class` in saved metadata); recpipe-only stages use `recpipe.`. */
  readonly sparkClass: string;
  /** Spark uid prefix, e.g. "strIdx", "als". */
  readonly uidPrefix: string;
  readonly params: S;
  create(params: z.output<S>, info: StageInfo): RoleInstance[R];
  /** Saved classes this definition reads, by class name (e.g. org.apache.spark.ml.recommendation.ALSModel). */
  readonly loaders?: Readonly<Record<string, StageLoader>>;
  /**
   * A data-preparation step that drops rows (drop-na, drop-duplicates, min-count-filter): allowed in `prepare:` only,
   * never inside a fitted pipeline, where it would drop rows at predict time too.
   */
  readonly prepareOnly?: boolean;
  /** Parameters and data the generated contract tests use; every pipeline stage provides one. */
  readonly example?: () => { params: Record<string, unknown>; train: Table; test?: Table };
}

export function defineStage<R extends StageRole, S extends z.ZodObject>(def: StageDefinition<R, S>): StageDefinition<R, S> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(def.type)) throw new Error(`stage type "${def.type}" must be kebab-case`);
  return Object.freeze({ ...def, params: def.params.strict() as S });
}

/** Validated params of a definition; throws SpecError naming each bad key (paths relative to the stage object). */
export function parseParams<S extends z.ZodObject>(def: StageDefinition<StageRole, S>, raw: Record<string, unknown>): z.output<S> {
  const result = def.params.safeParse(raw);
  if (!result.success) throw new SpecError(issuesFromZod(result.error, raw, () => paramNames(def)));
  return result.data;
}

export function paramNames(def: StageDefinition): string[] {
  return Object.keys(def.params.shape);
}

/**
 * Builds a stage from its raw params (as written in YAML, without `type` and `name`). The uid is derived from the
 * seed and the stage name, so the same pipeline file gives the same uids (and the same saved metadata) every run.
 */
export function buildStage<R extends StageRole>(
  def: StageDefinition<R>,
  raw: Record<string, unknown>,
  opts: { name?: string; uidSeed?: string | number } = {},
): RoleInstance[R] {
  const params = parseParams(def, raw);
  const name = opts.name ?? def.type;
  const uid = deriveUid(def.uidPrefix, `${opts.uidSeed ?? 0}:${name}`);
  return def.create(params, { uid, name, explicitParams: new Set(Object.keys(raw)) });
}

/** Spark-shaped uid: `<prefix>_<12 hex>`, deterministic in its key. */
export function deriveUid(prefix: string, key: string): string {
  return `${prefix}_${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}

/** Params split as Spark's metadata writes them: explicitly set vs defaults, restricted to `names` when given. */
export function sparkParamMaps(
  params: Readonly<Record<string, unknown>>,
  explicit: ReadonlySet<string>,
  names?: readonly string[],
  schema?: z.ZodObject,
): { paramMap: Record<string, unknown>; defaultParamMap: Record<string, unknown> } {
  const doubles = schema ? doubleParams(schema) : new Set<string>();
  const paramMap: Record<string, unknown> = {};
  const defaultParamMap: Record<string, unknown> = {};
  for (const key of names ?? Object.keys(params)) {
    const v = params[key];
    if (v === undefined) continue;
    const encoded = doubles.has(key) && typeof v === "number" ? new SparkDouble(v) : encodeSparkParam(v);
    if (explicit.has(key)) paramMap[key] = encoded;
    else defaultParamMap[key] = encoded;
  }
  return { paramMap, defaultParamMap };
}

const doubleCache = new WeakMap<z.ZodObject, Set<string>>();
/** Params whose schema is a non-integer number: Spark DoubleParams, written with a decimal point. */
export function doubleParams(schema: z.ZodObject): Set<string> {
  let out = doubleCache.get(schema);
  if (!out) {
    out = new Set();
    for (const [k, v] of Object.entries(schema.shape)) {
      const js = z.toJSONSchema(v as z.ZodType, { unrepresentable: "any", io: "input" }) as { type?: string };
      if (js.type === "number") out.add(k);
    }
    doubleCache.set(schema, out);
  }
  return out;
}

/** Spark's Param.jsonEncode for doubles: NaN and infinities as strings. */
export function encodeSparkParam(v: unknown): unknown {
  if (typeof v === "number" && !Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf";
  return v;
}

/**
 * An estimator's `withParams`: a new instance of the same definition with some params replaced, validated by the
 * stage's schema (a bad tuning value is a SpecError naming the param), and those params counted as explicitly set.
 */
export function rebuildWithParams<R extends StageRole, S extends z.ZodObject>(
  def: StageDefinition<R, S>,
  params: Readonly<Record<string, unknown>>,
  info: StageInfo,
  overrides: Record<string, unknown>,
): RoleInstance[R] {
  return def.create(parseParams(def, { ...params, ...overrides }), { ...info, explicitParams: new Set([...info.explicitParams, ...Object.keys(overrides)]) });
}

/** Spark's DefaultParamsWriter output for a stage without learned state: its class, uid and param maps. */
export function saveParams(def: StageDefinition, params: Readonly<Record<string, unknown>>, info: StageInfo, names?: readonly string[]): SavedStage {
  return { className: def.sparkClass, uid: info.uid, ...sparkParamMaps(params, info.explicitParams, names, def.params) };
}

/** Rebuilds a stage saved with its params only (Spark's DefaultParamsWriter layout) from paramMap and defaultParamMap. */
export function loadFromParams<R extends StageRole, S extends z.ZodObject>(def: StageDefinition<R, S>, saved: SavedStage): RoleInstance[R] {
  const { params, info } = savedParamsAndInfo(def.params, def.type, saved);
  return def.create(params, info);
}

/** A saved stage's validated params and identity (uid, name, which params were set): what every loader starts from. */
export function savedParamsAndInfo<S extends z.ZodObject>(schema: S, type: string, saved: SavedStage): { params: z.output<S>; info: StageInfo } {
  const { raw, explicit } = paramsFromSaved(saved, Object.keys(schema.shape));
  const result = schema.safeParse(raw);
  if (!result.success) throw new SpecError(issuesFromZod(result.error, raw, () => Object.keys(schema.shape)));
  return { params: result.data, info: { uid: saved.uid, name: type, explicitParams: explicit } };
}
