import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRegistry } from "../../stages/index.js";
import { paramNames } from "../../src/core/define-stage.js";
import { fillStageDocFragments, renderStageDocs, stageDocFragmentTypes } from "../../src/docs/stage-docs.js";

describe("docs/stages.md", () => {
  const generated = renderStageDocs(createRegistry());

  it("is what scripts/gen-stage-docs.ts generates from the registry (run `npm run docs:stages` after changing a stage)", () => {
    const onDisk = readFileSync(join(process.cwd(), "docs", "stages.md"), "utf8");
    expect(onDisk === generated, "docs/stages.md is out of date: run npm run docs:stages").toBe(true);
  });

  it("has a section and a param row for every stage and param in the registry", () => {
    for (const def of createRegistry().list()) {
      const section = generated.split(`\n### ${def.type}\n`)[1]?.split("\n### ")[0];
      expect(section, def.type).toBeDefined();
      expect(section).toContain(def.sparkClass);
      for (const name of paramNames(def)) expect(section, `${def.type}.${name}`).toContain(`| \`${name}\` |`);
    }
  });

  it("shows defaults, allowed values and ranges as the schema declares them", () => {
    const als = generated.split("\n### als\n")[1].split("\n### ")[0];
    expect(als).toMatch(/\| `rank` \| `integer` \| `10` \| >= 1 \|/);
    expect(als).toMatch(/\| `alpha` \| `number` \| `1\.0` \| >= 0 \|/);
    expect(als).toMatch(/\| `coldStartStrategy` \| `enum` \| `nan` \| `nan`, `drop` \|/);
  });
});

describe("stage-doc fragments in hand-written documents", () => {
  for (const file of ["README.md", "docs/coming-from-spark.md"]) {
    it(`${file} says what the random-split stage's own doc says (run \`npm run docs:stages\` after changing a stage doc)`, () => {
      const text = readFileSync(join(process.cwd(), file), "utf8");
      expect(stageDocFragmentTypes(text)).toContain("random-split");
      expect(text === fillStageDocFragments(text, createRegistry()), `${file} is out of date: run npm run docs:stages`).toBe(true);
    });
  }
});
