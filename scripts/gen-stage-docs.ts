/**
 * Writes docs/stages.md from the stage registry. `--check` writes nothing and exits 1 when the file is out of date.
 * Run: npm run docs:stages   (tsx scripts/gen-stage-docs.ts [--check])
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistry } from "../stages/index.js";
import { renderStageDocs } from "../src/pipeline/stage-docs.js";

const target = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "stages.md");
const text = renderStageDocs(createRegistry());
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    process.stderr.write("docs/stages.md is out of date: run npm run docs:stages\n");
    process.exit(1);
  }
  process.stdout.write("docs/stages.md is up to date\n");
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
