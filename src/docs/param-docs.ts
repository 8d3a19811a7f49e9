import { z } from "zod";
import type { StageDefinition } from "../core/define-stage.js";

/** A param as `recpipe explain`, the docs and the JSON Schema show it: all of it derived from the zod schema. */
export interface ParamDoc {
  name: string;
  type: string;
  default?: unknown;
  doc: string;
  allowed?: unknown[];
  range?: string;
}

export function paramDocs(def: StageDefinition): ParamDoc[] {
  return schemaParamDocs(def.params);
}

/** The same for any zod object: the pipeline file's own blocks (source, recommend, output) are documented this way. */
export function schemaParamDocs(params: z.ZodObject): ParamDoc[] {
  return Object.entries(params.shape).map(([name, schema]) => {
    const js = z.toJSONSchema(schema as z.ZodType, { unrepresentable: "any", io: "input" }) as Record<string, unknown>;
    return {
      name,
      type: typeName(js),
      default: js.default,
      doc: String(js.description ?? (schema as z.ZodType).description ?? ""),
      allowed: Array.isArray(js.enum) ? js.enum : undefined,
      range: rangeOf(js),
    };
  });
}

function typeName(js: Record<string, unknown>): string {
  if (Array.isArray(js.enum)) return "enum";
  if (js.type === "array") {
    const items = js.items as Record<string, unknown> | undefined;
    return `list<${items ? typeName(items) : "any"}>`;
  }
  if (Array.isArray(js.anyOf)) return (js.anyOf as Record<string, unknown>[]).map(typeName).join(" | ");
  if (js.type === "object") return "mapping";
  return String(js.type ?? (js.const !== undefined ? JSON.stringify(js.const) : "any"));
}

function rangeOf(js: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  // zod's .int() adds the safe-integer bounds; they say nothing to a user, so only real bounds are shown.
  if (typeof js.minimum === "number" && js.minimum > Number.MIN_SAFE_INTEGER) parts.push(`>= ${js.minimum}`);
  if (typeof js.exclusiveMinimum === "number") parts.push(`> ${js.exclusiveMinimum}`);
  if (typeof js.maximum === "number" && js.maximum < Number.MAX_SAFE_INTEGER) parts.push(`<= ${js.maximum}`);
  if (typeof js.exclusiveMaximum === "number") parts.push(`< ${js.exclusiveMaximum}`);
  return parts.length ? parts.join(", ") : undefined;
}

/**
 * A value as Spark's explainParams prints it: strings bare, doubles with a decimal point (`1.0`), lists and
 * mappings as YAML-style flow text.
 */
export function formatParamValue(v: unknown, isDouble = false): string {
  if (typeof v === "string") return v === "" ? '""' : v;
  if (typeof v === "number" && isDouble && Number.isInteger(v)) return v.toFixed(1);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/**
 * Spark's explainParams() style, one line per param: `name: doc (default: x, allowed: "a"|"b", integer >= 1)`;
 * a param without a default shows `undefined` as Spark does. A header line names the stage, its role and Spark class.
 */
export function explainStage(def: StageDefinition): string {
  const lines = [`${def.type} (${def.role}; Spark: ${def.sparkClass})`, ...wrap(def.doc, 100).map((l) => `  ${l}`), ""];
  const doubles = doubleParamNames(def);
  for (const p of paramDocs(def)) {
    const extras = [
      p.default !== undefined ? `default: ${formatParamValue(p.default, doubles.has(p.name))}` : "undefined",
      p.allowed ? `allowed: ${p.allowed.map((a) => JSON.stringify(a)).join("|")}` : p.range ? `${p.type} ${p.range}` : p.type,
    ];
    lines.push(`${p.name}: ${p.doc} (${extras.join(", ")})`);
  }
  return lines.join("\n");
}

function doubleParamNames(def: StageDefinition): Set<string> {
  return new Set(
    paramDocs(def)
      .filter((p) => p.type === "number")
      .map((p) => p.name),
  );
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
