import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";
import type { StageRegistry } from "../core/registry.js";
import { buildEvaluators } from "../spec/build-stages.js";
import type { Manifest } from "../run/manifest.js";
import { validateStage } from "../spec/spec.js";

/**
 * What `recpipe runs` and `recpipe compare` know about one run directory, read from its files alone (no server, no
 * database): the resolved pipeline.yaml, manifest.json and metrics.json.
 */
export interface RunSummary {
  dir: string;
  /** The run directory's folder name, e.g. quickstart-20260101-120000. */
  run: string;
  /**
   * complete: every file the manifest lists is there with its recorded size; unfinished: a run still being written
   * or killed while writing (a hidden temporary folder, or no manifest.json yet); damaged: anything else.
   */
  status: "complete" | "unfinished" | "damaged";
  /** Why the run is not complete. */
  problem?: string;
  /** ISO time of the run (manifest createdAt, else the folder's modification time). */
  createdAt: string;
  /**
   * The resolved pipeline flattened to dotted keys (stages by name: `pipeline.als.rank`), plus run facts (`seed`,
   * `data.sha256`, `recpipeVersion`) and, for a tuned run, the param map it chose (`tune.best.als.regParam`).
   */
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  /** Metric key -> true when larger is better; from the pipeline's evaluators (absent when unknown). */
  largerIsBetter: Record<string, boolean>;
}

/** Hidden sibling a run is written into before it is renamed into place (see writeDirAtomically). */
const TEMP_SIBLING = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-f]+$/;

/** True when a folder name is one of recpipe's temporary run folders. */
export function isTemporaryRunFolder(name: string): boolean {
  return TEMP_SIBLING.test(name);
}

/** True when a folder looks like a run directory (finished or not) rather than a folder of them. */
export function looksLikeRunDirectory(dir: string): boolean {
  return isTemporaryRunFolder(basename(dir)) || ["manifest.json", "metrics.json", "pipeline.yaml"].some((f) => existsSync(join(dir, f)));
}

export function readRunSummary(dir: string, registry: StageRegistry): RunSummary {
  const name = basename(dir);
  const out: RunSummary = {
    dir,
    run: name,
    status: "complete",
    createdAt: new Date(statSync(dir).mtimeMs).toISOString(),
    params: {},
    metrics: {},
    baselines: {},
    largerIsBetter: {},
  };
  const temp = TEMP_SIBLING.exec(name);
  if (temp) {
    out.run = temp[1];
    out.status = "unfinished";
    out.problem = processAlive(Number(temp[3]))
      ? `being written by process ${temp[3]}`
      : `interrupted while being written (process ${temp[3]} is gone); safe to delete`;
  }
  const problems: string[] = [];
  const pipeline = readYaml(join(dir, "pipeline.yaml"), problems);
  const manifest = readJson<Manifest>(join(dir, "manifest.json"), problems);
  const metrics = readJson<{ metrics?: Record<string, number>; baselines?: Record<string, Record<string, number>>; tune?: { best?: Record<string, unknown> } }>(
    join(dir, "metrics.json"),
    problems,
  );
  if (pipeline) {
    out.params = flattenPipeline(pipeline);
    out.largerIsBetter = metricDirections(pipeline, registry);
  }
  if (manifest) {
    out.createdAt = manifest.createdAt ?? out.createdAt;
    out.params.seed = manifest.seed ?? out.params.seed;
    out.params.recpipeVersion = manifest.recpipeVersion;
    manifest.inputs?.forEach((input, i) => {
      const key = manifest.inputs.length > 1 ? `data[${i}]` : "data";
      if (input.sha256) out.params[`${key}.sha256`] = input.sha256;
      out.params[`${key}.rows`] = input.rows;
    });
    out.metrics = manifest.metrics ?? {};
    out.baselines = manifest.baselines ?? {};
    for (const a of manifest.artefacts ?? []) {
      const file = join(dir, a.path);
      if (!existsSync(file)) problems.push(`${a.path} is missing`);
      else if (statSync(file).size !== a.bytes) problems.push(`${a.path} has ${statSync(file).size} bytes; manifest.json records ${a.bytes}`);
    }
  }
  if (metrics) {
    out.metrics = metrics.metrics ?? out.metrics;
    out.baselines = metrics.baselines ?? out.baselines;
    // The param map the tuner chose, beside the grid it chose from: `tune.best.als.regParam`.
    for (const [k, v] of Object.entries(metrics.tune?.best ?? {})) out.params[`tune.best.${k}`] = v;
  }
  if (out.status === "complete" && !existsSync(join(dir, "manifest.json"))) {
    // manifest.json is written last: a run without it never finished (or was written by something else).
    out.status = "unfinished";
    out.problem = "no manifest.json (the run never finished)";
  } else if (out.status === "complete" && problems.length > 0) {
    out.status = "damaged";
    out.problem = problems.slice(0, 3).join("; ") + (problems.length > 3 ? `; and ${problems.length - 3} more` : "");
  }
  return out;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readJson<T>(file: string, problems: string[]): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    problems.push(`${basename(file)} is not valid JSON (${(e as Error).message.split("\n")[0]})`);
    return undefined;
  }
}

function readYaml(file: string, problems: string[]): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v = parse(readFileSync(file, "utf8"), { schema: "core" }) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    problems.push("pipeline.yaml is not a mapping");
  } catch (e) {
    problems.push(`pipeline.yaml is not valid YAML (${(e as Error).message.split("\n")[0]})`);
  }
  return undefined;
}

const STAGE_LISTS = new Set(["pipeline", "evaluate"]);

/**
 * `{pipeline: [{type: als, rank: 8}]}` -> `{"pipeline.als.rank": 8}`: stages are keyed by name, as `--set` and tuning
 * grids address them, so the same param lines up across runs even when stages were added before it.
 */
export function flattenPipeline(resolved: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (v: unknown, key: string, top: string) => {
    if (Array.isArray(v) && key === "baselines") {
      // `baselines: [most-popular, {name: knn, pipeline: [...]}]`: keyed by name, a model baseline's stages by theirs.
      for (const b of v) {
        if (typeof b === "string") out[`baselines.${b}`] = "built-in";
        else if (b && typeof b === "object")
          walk((b as Record<string, unknown>).pipeline, `baselines.${String((b as Record<string, unknown>).name)}.pipeline`, top);
      }
    } else if (Array.isArray(v) && (STAGE_LISTS.has(key) || (top === "baselines" && key.endsWith(".pipeline")))) {
      v.forEach((s, i) => {
        const o = (s ?? {}) as Record<string, unknown>;
        const name = typeof o.name === "string" ? o.name : typeof o.type === "string" ? o.type : String(i);
        const { name: _n, ...rest } = o;
        walk(rest, `${key}.${name}`, top);
      });
    } else if (v && typeof v === "object" && !Array.isArray(v) && !(top === "tune" && key.endsWith(".paramGrid"))) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, key ? `${key}.${k}` : k, top || k);
    } else out[key] = v;
  };
  walk(resolved, "", "");
  return out;
}

/** Metric key -> larger is better, by building the run's evaluators from its pipeline.yaml (plugins aside). */
function metricDirections(pipeline: Record<string, unknown>, registry: StageRegistry): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const list = Array.isArray(pipeline.evaluate) ? pipeline.evaluate : [];
  for (const raw of list) {
    try {
      const spec = validateStage(raw as Record<string, unknown>, registry, "evaluator", []);
      const [e] = buildEvaluators(registry, [spec], 0);
      out[e.metricKey] = e.isLargerBetter;
    } catch {
      // An evaluator this recpipe does not know (a plugin's): its metric is shown without a gain.
    }
  }
  return out;
}
