import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRegistry } from "../../stages/index.js";
import { renderPipelineFileDocs } from "../../src/docs/pipeline-file-docs.js";
import { fileSourceParams, outputParams, recommendParams } from "../../src/spec/spec.js";
import { pipelineJsonSchema } from "../../src/docs/pipeline-json-schema.js";

describe("docs/pipeline-file.md", () => {
  const generated = renderPipelineFileDocs(createRegistry());

  it("is what scripts/gen-stage-docs.ts generates (run `npm run docs:stages` after changing a block's schema)", () => {
    const onDisk = readFileSync(join(process.cwd(), "docs", "pipeline-file.md"), "utf8");
    expect(onDisk === generated, "docs/pipeline-file.md is out of date: run npm run docs:stages").toBe(true);
  });

  it("has a row for every key of the source, recommend and output blocks, as `recpipe schema` knows them", () => {
    const schema = pipelineJsonSchema(createRegistry()) as {
      properties: Record<string, { anyOf?: { properties: Record<string, unknown> }[]; properties?: Record<string, unknown> }>;
    };
    for (const [block, zodSchema] of [
      ["source", fileSourceParams],
      ["recommend", recommendParams],
      ["output", outputParams],
    ] as const) {
      for (const key of Object.keys(zodSchema.shape)) expect(generated, `${block}.${key}`).toContain(`| \`${key}\` |`);
    }
    for (const key of Object.keys(schema.properties.recommend.properties ?? {})) expect(generated).toContain(`| \`${key}\` |`);
    expect(generated).toMatch(/\| `delimiter` \| `string` \|/);
    expect(generated).toContain("types: {asin: string}");
    expect(generated).toContain("pipelines/runs/quickstart-<timestamp>/");
  });
});
