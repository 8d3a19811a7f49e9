/**
 * Writes docs/stages.md from the stage registry and docs/pipeline-file.md from the pipeline file's schemas, and fills
 * the `<!-- stage-doc: TYPE -->` fragments of README.md and docs/coming-from-spark.md with each stage's own doc.
 * `--check` writes nothing and exits 1 when a file is out of date.
 * Run: npm run docs:stages   (tsx scripts/gen-stage-docs.ts [--check])
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistry } from "../stages/index.js";
import { renderPipelineFileDocs } from "../src/docs/pipeline-file-docs.js";
import { fillStageDocFragments, renderStageDocs } from "../src/docs/stage-docs.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const registry = createRegistry();
const read = (file: string) => {
  try {
    return readFileSync(join(root, file), "utf8");
  } catch {
    return ""; // missing counts as out of date
  }
};
const pages: [string, string][] = [
  ["docs/stages.md", renderStageDocs(registry)],
  ["docs/pipeline-file.md", renderPipelineFileDocs(registry)],
  ...["README.md", "docs/coming-from-spark.md"].map((f): [string, string] => [f, fillStageDocFragments(read(f), registry)]),
];
let stale = false;
for (const [file, text] of pages) {
  if (read(file) === text) continue;
  if (process.argv.includes("--check")) {
    process.stderr.write(`${file} is out of date: run npm run docs:stages\n`);
    stale = true;
  } else {
    writeFileSync(join(root, file), text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
if (stale) process.exit(1);
