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
  return Object.entries(def.params.shape).map(([name, schema]) => {
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
  if (typeof js.minimum === "number") parts.push(`>= ${js.minimum}`);
  if (typeof js.exclusiveMinimum === "number") parts.push(`> ${js.exclusiveMinimum}`);
  if (typeof js.maximum === "number" && js.maximum < Number.MAX_SAFE_INTEGER) parts.push(`<= ${js.maximum}`);
  if (typeof js.exclusiveMaximum === "number") parts.push(`< ${js.exclusiveMaximum}`);
  return parts.length ? parts.join(", ") : undefined;
}

/** Spark's explainParams() style: `name: doc (default: x, allowed: a|b)`. */
export function explainStage(def: StageDefinition): string {
  const lines = [`${def.type} (${def.role}; Spark: ${def.sparkClass})`, `  ${def.doc}`, ""];
  for (const p of paramDocs(def)) {
    const extras = [
      `type: ${p.type}`,
      p.default !== undefined ? `default: ${JSON.stringify(p.default)}` : "no default",
      p.allowed ? `allowed: ${p.allowed.map((a) => JSON.stringify(a)).join("|")}` : undefined,
      p.range ? `range: ${p.range}` : undefined,
    ].filter(Boolean);
    lines.push(`  ${p.name}: ${p.doc} (${extras.join(", ")})`);
  }
  return lines.join("\n");
}
