import { displayPath } from "../io/display-path.js";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { StageDefinition } from "../core/define-stage.js";
import { InputError } from "../core/errors.js";
import type { StageRegistry } from "../core/registry.js";

/**
 * Loads plugin modules named by a pipeline file (`plugins: [./my-stage.ts]`) and registers every StageDefinition they
 * export, through the same defineStage()/registry checks as the built-ins. Only paths the file names are loaded.
 * TypeScript plugins are loaded through tsx, so users need no build step.
 */
export async function loadPlugins(paths: string[], pipelineFile: string, registry: StageRegistry): Promise<string[]> {
  const loaded: string[] = [];
  const shown = displayPath;
  const file = shown(pipelineFile);
  for (const p of paths) {
    // Relative plugin paths resolve from the pipeline file's folder, never from the working directory.
    const abs = resolve(dirname(pipelineFile), p);
    if (!existsSync(abs)) throw new InputError("E_FILE", `${file}: plugins: "${p}" not found (expected a module at ${shown(abs)})`);
    let mod: Record<string, unknown>;
    try {
      mod = /\.(c|m)?ts$/.test(abs)
        ? ((await (await import("tsx/esm/api")).tsImport(pathToFileURL(abs).href, import.meta.url)) as Record<string, unknown>)
        : ((await import(pathToFileURL(abs).href)) as Record<string, unknown>);
    } catch (e) {
      throw new InputError("E_FILE", `${file}: plugins: "${p}" failed to load: ${(e as Error).message.split("\n")[0]}`);
    }
    const defs = collectDefinitions(mod);
    if (defs.length === 0) throw new InputError("E_SPEC", `${file}: plugins: "${p}" exports no stage definition (export the result of defineStage())`);
    for (const d of defs) {
      registry.register(d);
      loaded.push(d.type);
    }
  }
  return loaded;
}

function collectDefinitions(mod: Record<string, unknown>): StageDefinition[] {
  const out = new Set<StageDefinition>();
  const visit = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (isDefinition(x)) out.add(x);
  };
  for (const v of Object.values(mod)) visit(v);
  return [...out];
}

function isDefinition(x: unknown): x is StageDefinition {
  if (!x || typeof x !== "object") return false;
  const d = x as Partial<StageDefinition>;
  return typeof d.type === "string" && typeof d.role === "string" && typeof d.create === "function" && typeof d.params === "object";
}
