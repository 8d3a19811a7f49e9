// `npm run lint`, after dependency-cruiser's file rules: folders depend one way. dependency-cruiser's no-circular sees
// cycles between files only; two folders that import each other through different files (pipeline/run.ts ->
// spark-connect/engine.ts -> pipeline/tune.ts) are a cycle of the layout all the same. This reads dependency-cruiser's
// resolved graph (--output-type json) and fails on any pair of folders with arrows both ways.
// A folder is src/<name>/ (and stages/); under src/engines/ every folder counts on its own (engine.ts, local/,
// spark-connect/, its transport/ and stages/), so an engine's protocol layer never reaches back into the engine.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

const bin = process.platform === "win32" ? "node_modules/.bin/depcruise.cmd" : "node_modules/.bin/depcruise";
const graph = JSON.parse(
  execFileSync(bin, ["src", "stages", "--config", ".dependency-cruiser.cjs", "--output-type", "json"], { encoding: "utf8", maxBuffer: 1 << 28 }),
);

/** The folder a repository path belongs to, or undefined outside src/ and stages/ (node_modules, node: modules). */
function folderOf(file) {
  const parts = file.split("/");
  if (parts[0] === "stages") return "stages";
  if (parts[0] !== "src") return undefined;
  if (parts.length === 2) return "src";
  if (parts[1] === "engines") {
    const gen = parts.indexOf("gen");
    return gen > 0 ? parts.slice(0, gen + 1).join("/") : dirname(file);
  }
  return parts.slice(0, 2).join("/");
}

const arrows = new Map();
for (const m of graph.modules) {
  const from = folderOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    const to = folderOf(d.resolved);
    if (!to || to === from) continue;
    const key = `${from} -> ${to}`;
    if (!arrows.has(key)) arrows.set(key, `${m.source} -> ${d.resolved}`);
  }
}
const problems = [];
for (const [key, example] of arrows) {
  const [from, to] = key.split(" -> ");
  if (from < to && arrows.has(`${to} -> ${from}`)) problems.push(`${from} and ${to} import each other: ${example}; ${arrows.get(`${to} -> ${from}`)}`);
}
// The Spark Connect engine asks a stage's remote mapping what it can do (src/engines/spark-connect/stages/): a test of
// a stage's type name there would be the dispatch on names that each new stage deepens.
for (const m of graph.modules) {
  if (!m.source.startsWith("src/engines/spark-connect/") || m.source.includes("/gen/")) continue;
  const hit = /\.type\s*===?\s*["'][a-z-]+["']/.exec(readFileSync(m.source, "utf8"));
  if (hit) problems.push(`${m.source} dispatches on a stage type name (${hit[0]}): give the stage's remote mapping a capability instead`);
}
if (problems.length > 0) {
  for (const p of problems) console.error(`one-way-folders: ${p}`);
  process.exit(1);
}
console.log(`one-way-folders: ${arrows.size} folder arrows, none two-way`);
