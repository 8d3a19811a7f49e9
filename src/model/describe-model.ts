import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DataType } from "apache-arrow";
import { createRegistry } from "../../stages/index.js";
import type { SavedStage } from "../core/saved-stage.js";
import { loadSavedStage } from "../io/model-store.js";
import { modelFromSaved } from "./load-model.js";
import { PIPELINE_CLASS, PIPELINE_MODEL_CLASS } from "./pipeline-model.js";

const TUNED = ["org.apache.spark.ml.tuning.CrossValidatorModel", "org.apache.spark.ml.tuning.TrainValidationSplitModel"];

/**
 * `recpipe inspect`: what a model or run directory holds (classes, params, rank, table row counts, lineage), and
 * whether Spark and recpipe can each load it.
 */
export async function describeDirectory(dir: string): Promise<string> {
  const lines: string[] = [];
  let modelDir = dir;
  if (existsSync(join(dir, "manifest.json"))) {
    const m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
    lines.push(`run directory ${dir}`);
    lines.push(`  recpipe ${String(m.recpipeVersion)}, node ${String(m.nodeVersion)}, ${String(m.platform)}, created ${String(m.createdAt)}`);
    lines.push(
      `  pipeline ${String(m.pipelineFile)} (sha256 ${String(m.pipelineSha256).slice(0, 16)}...), seed ${String(m.seed)}, workers ${String(m.workers)}`,
    );
    for (const i of (m.inputs as Record<string, unknown>[]) ?? [])
      lines.push(`  input ${String(i.path ?? i.kind)}: ${String(i.rows)} rows${i.sha256 ? `, sha256 ${String(i.sha256).slice(0, 16)}...` : ""}`);
    lines.push(`  metrics ${JSON.stringify(m.metrics)}`);
    lines.push(`  artefacts: ${((m.artefacts as unknown[]) ?? []).length} files hashed in manifest.json`);
    modelDir = join(dir, "model");
    if (!existsSync(modelDir)) return lines.join("\n");
    lines.push("");
  }
  const saved = await loadSavedStage(modelDir);
  const registry = createRegistry();
  const notes = { recpipeOnly: [] as string[], unsupported: [] as string[] };
  walk(saved, "", 0, lines, (c) => registry.hasClass(c), notes);
  lines.push("");
  // "can load it" is said only after building the model, with every check a load makes (factor ids, params), passed.
  if (notes.unsupported.length === 0) modelFromSaved(saved, modelDir, registry);
  lines.push(notes.unsupported.length ? `recpipe cannot load it: unsupported ${notes.unsupported.join(", ")}` : "recpipe can load it");
  lines.push(
    notes.recpipeOnly.length
      ? `Spark cannot load it: recpipe-only classes ${notes.recpipeOnly.join(", ")}`
      : "Spark can load it (Spark ML layout and class names)",
  );
  return lines.join("\n");
}

function walk(
  s: SavedStage,
  path: string,
  depth: number,
  out: string[],
  isKnown: (c: string) => boolean,
  notes: { recpipeOnly: string[]; unsupported: string[] },
): void {
  const pad = "  ".repeat(depth);
  const known = s.className === PIPELINE_MODEL_CLASS || s.className === PIPELINE_CLASS || TUNED.includes(s.className) || isKnown(s.className);
  if (s.className.startsWith("recpipe.")) notes.recpipeOnly.push(s.className);
  // A tuned model's estimator/ and evaluator/ are only needed to re-fit (loadModel skips them), so they do not block loading.
  else if (!known && !(depth > 0 && /(^|\/)(estimator|evaluator)(\/|$)/.test(path))) notes.unsupported.push(`${s.className} (${path || "."})`);
  out.push(
    `${pad}${path ? `${path}: ` : ""}${s.className} uid=${s.uid}${s.sparkVersion ? ` sparkVersion=${s.sparkVersion}` : ""}${known ? "" : "  [not implemented by recpipe]"}`,
  );
  const params = { ...(s.defaultParamMap ?? {}), ...s.paramMap };
  const shown = Object.entries(params).filter(([k]) => k !== "estimatorParamMaps" && k !== "stageUids");
  if (shown.length) out.push(`${pad}  params: ${shown.map(([k, v]) => `${k}=${JSON.stringify(v)}${k in s.paramMap ? "" : " (default)"}`).join(", ")}`);
  for (const [k, v] of Object.entries(s.extra ?? {})) out.push(`${pad}  ${k}: ${JSON.stringify(v).slice(0, 200)}`);
  for (const [name, t] of Object.entries(s.tables ?? {})) {
    const cols = t.schema.fields.map((f) => `${f.name}: ${DataType.isList(f.type) ? `list<${String(f.type.children[0].type)}>` : String(f.type)}`).join(", ");
    out.push(`${pad}  ${name}/: ${t.numRows} rows (${cols})`);
  }
  for (const c of s.children ?? []) walk(c.stage, path ? `${path}/${c.path}` : c.path, depth + 1, out, isKnown, notes);
}
