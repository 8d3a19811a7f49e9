import { displayPath } from "../io/display-path.js";
import { dirname, resolve } from "node:path";
import { InputError } from "../core/errors.js";
import { joinPath, SpecError, type ParamIssue } from "../core/param-issues.js";
import type { StageRegistry } from "../core/registry.js";
import { createRegistry } from "../../stages/index.js";
import { formatFromExtension } from "../io/table-format.js";
import { resolveIncludes } from "./includes.js";
import { applyOverrides, type Override } from "./overrides.js";
import { loadPlugins } from "./plugins.js";
import { validateSpec, type PipelineSpec } from "./spec.js";
import { positionOf, readYamlFile, type YamlFile } from "./yaml-file.js";
import { resolvedPipeline } from "./resolved-pipeline.js";

export interface LoadedPipeline {
  spec: PipelineSpec;
  /** Absolute path of the pipeline file. */
  file: string;
  /** Folder relative paths resolve from. */
  baseDir: string;
  registry: StageRegistry;
  /** Every default, override and included fragment inlined (written to the run directory as pipeline.yaml). */
  resolved: Record<string, unknown>;
  overrides: Override[];
  /** Files read: the pipeline file and its fragments. */
  files: string[];
}

/**
 * Reads a pipeline file: YAML with positions, fragments from `include:`, `--set` overrides, plugins, then strict
 * validation of every section against the registry. Every problem is reported at once, each with
 * `file:line:col key.path message`.
 */
export interface LoadOptions {
  /** `--set KEY=VALUE` overrides. */
  set?: string[];
  registry?: StageRegistry;
  /**
   * Consent to run the plugin modules the file names (`--allow-plugins`). A plugin is arbitrary code: without consent a
   * file that names one is refused before anything is imported, so opening someone else's pipeline file or run
   * directory never runs their code.
   */
  allowPlugins?: boolean;
}

/** The flag that gives consent, named in every refusal. */
export const ALLOW_PLUGINS_HINT = "--allow-plugins (or RECPIPE_ALLOW_PLUGINS=1)";

export async function loadPipelineFile(path: string, opts: LoadOptions = {}): Promise<LoadedPipeline> {
  const abs = resolve(path);
  const display = displayPath(abs);
  const main = readYamlFile(abs, display);
  const { value: merged, files } = resolveIncludes(main);
  const { value, overrides } = applyOverrides(merged, opts.set ?? []);
  const registry = (opts.registry ?? createRegistry()).clone();
  const plugins = value.plugins;
  if (plugins !== undefined) {
    if (!Array.isArray(plugins) || plugins.some((p) => typeof p !== "string")) {
      throw new InputError("E_SPEC", `${positionOf(main, ["plugins"])} plugins must be a list of module paths; got ${JSON.stringify(plugins)}`);
    }
    // A plugin named on the command line would let a copied `--set` string run code; plugins come from files only.
    const fromSet = overrides.find((o) => o.path[0] === "plugins");
    if (fromSet) {
      throw new InputError(
        "E_ARGS",
        `--set ${fromSet.text}: plugins cannot be set from the command line (not even with --allow-plugins); list plugin modules under plugins: in the pipeline file`,
      );
    }
    if (plugins.length > 0 && !opts.allowPlugins) {
      throw new InputError(
        "E_PLUGINS",
        `${positionOf(main, ["plugins"])} plugins: ${(plugins as string[]).map((p) => `"${p}" (${displayPath(resolve(dirname(abs), p))})`).join(", ")} would run code from this file; recpipe loads plugin modules only with ${ALLOW_PLUGINS_HINT}`,
      );
    }
    await loadPlugins(plugins as string[], abs, registry);
  }
  let spec: PipelineSpec;
  try {
    spec = validateSpec(value, registry);
  } catch (e) {
    if (e instanceof SpecError) throw new InputError("E_SPEC", formatWithPositions(e.issues, value, files, overrides));
    throw e;
  }
  checkPathOverride(spec, overrides);
  const baseDir = dirname(abs);
  return { spec, file: abs, baseDir, registry, resolved: resolvedPipeline(spec, baseDir), overrides, files: files.map((f) => f.path) };
}

/**
 * `--set source.path=other.csv` on a file whose source block says `format: tsv`: the explicit format would misread the
 * new file, so say which --set to add (a block without `format` already follows the new file's extension).
 */
function checkPathOverride(spec: PipelineSpec, overrides: Override[]): void {
  const set = (key: string) => overrides.find((o) => o.path.join(".") === key);
  const path = set("source.path");
  if (!path || spec.source.kind !== "file" || !spec.source.format || set("source.format")) return;
  const implied = formatFromExtension(spec.source.path);
  if (!implied || implied === spec.source.format) return;
  const delimited = implied === "csv" || implied === "tsv";
  throw new InputError(
    "E_SPEC",
    `--set ${path.text}: the pipeline file's source says format: ${spec.source.format}, but "${spec.source.path}" is named like ${implied}; add --set source.format=${implied}` +
      (delimited && spec.source.header === false ? " (and --set source.header=true if its first line names the columns)" : "") +
      (spec.source.delimiter ? ` and check source.delimiter (${JSON.stringify(spec.source.delimiter)})` : ""),
  );
}

function formatWithPositions(issues: ParamIssue[], value: Record<string, unknown>, files: YamlFile[], overrides: Override[]): string {
  return issues
    .map((i) => {
      const fromSet = overrides.find((o) => startsWith(i.path, o.path) || startsWith(o.path, i.path));
      const where = fromSet ? `--set ${fromSet.text}:` : locate(files, i.path, i.message.startsWith("is not a known key"));
      return `${where} ${label(value, i.path)} ${i.message}`;
    })
    .join("\n");
}

function locate(files: YamlFile[], path: (string | number)[], atKey: boolean): string {
  // The main file first; a key that only a fragment defines is reported in that fragment.
  for (const f of files) {
    const pos = positionOf(f, path, atKey);
    if (pos !== f.display || f === files[files.length - 1]) return pos;
  }
  return files[0].display;
}

/** `pipeline[1] (als).rank`: list entries of stage lists carry the stage's name so the user sees which one. */
function label(value: Record<string, unknown>, path: (string | number)[]): string {
  let out = "";
  let cur: unknown = value;
  for (const seg of path) {
    out = joinPath(out, [seg]);
    cur = cur && typeof cur === "object" ? (cur as Record<string | number, unknown>)[seg] : undefined;
    if (typeof seg === "number" && cur && typeof cur === "object") {
      const o = cur as Record<string, unknown>;
      const name = o.name ?? o.type;
      if (typeof name === "string") out += ` (${name})`;
    }
  }
  return out || "(file)";
}

function startsWith(a: (string | number)[], prefix: (string | number)[]): boolean {
  return prefix.length <= a.length && prefix.every((p, i) => String(a[i]) === String(p));
}
