/**
 * `recpipe schema` and the loader share one declaration of the pipeline file's top level (spec.ts `topLevel`): same
 * keys, same required keys, same name pattern, same docs. (They once drifted: the JSON Schema lacked the name pattern.)
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { pipelineJsonSchema } from "../../src/docs/pipeline-json-schema.js";
import { topLevel } from "../../src/spec/spec.js";
import { createRegistry } from "../../stages/index.js";

interface JsonSchema {
  properties: Record<string, { description?: string; pattern?: string }>;
  required?: string[];
  additionalProperties?: boolean;
}

describe("the pipeline file's JSON Schema", () => {
  const schema = pipelineJsonSchema(createRegistry()) as unknown as JsonSchema;
  const loader = z.toJSONSchema(topLevel, { unrepresentable: "any", io: "input" }) as unknown as JsonSchema;

  it("has exactly the loader's top-level keys, required keys, and refuses unknown keys as the loader does", () => {
    expect(Object.keys(schema.properties)).toEqual(Object.keys(topLevel.shape));
    expect(schema.required).toEqual(loader.required);
    expect(schema.additionalProperties).toBe(false);
  });

  it("carries the loader's name pattern and every key's doc", () => {
    expect(schema.properties.name.pattern).toBe(loader.properties.name.pattern);
    expect(schema.properties.name.pattern).toBeTruthy();
    for (const [key, value] of Object.entries(topLevel.shape)) expect(schema.properties[key].description, key).toBe(value.description);
  });
});
