/**
 * Writes docs/stages.md from the stage registry and docs/pipeline-file.md from the pipeline file's schemas.
 * `--check` writes nothing and exits 1 when either file is out of date.
 * Run: npm run docs:stages   (tsx scripts/gen-stage-docs.ts [--check])
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistry } from "../stages/index.js";
import { renderPipelineFileDocs } from "../src/pipeline/pipeline-file-docs.js";
import { renderStageDocs } from "../src/pipeline/stage-docs.js";

const docs = join(dirname(fileURLToPath(import.meta.url)), "..", "docs");
const pages: [string, string][] = [
  [join(docs, "stages.md"), renderStageDocs(createRegistry())],
  [join(docs, "pipeline-file.md"), renderPipelineFileDocs(createRegistry())],
];
let stale = false;
for (const [target, text] of pages) {
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // missing counts as out of date
    }
    if (current !== text) {
      process.stderr.write(`${target} is out of date: run npm run docs:stages\n`);
      stale = true;
    } else process.stdout.write(`${target} is up to date\n`);
  } else {
    writeFileSync(target, text);
    process.stdout.write(`wrote ${target}\n`);
  }
}
if (stale) process.exit(1);
