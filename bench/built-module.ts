/**
 * A module of the built code (dist/), as the CLI runs it, typed by its source in src/ or stages/: benches that time
 * the built code load it this way, so `tsc --noEmit` passes on a fresh clone before anything is built.
 *   const { readTable } = await loadBuilt<typeof import("../src/io/read-table.js")>("src/io/read-table.js");
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** `rel` is the module's path under dist/ (src/..., stages/...). */
export async function loadBuilt<M>(rel: string): Promise<M> {
  const file = path.join(dist, rel);
  if (!existsSync(file)) throw new Error(`no ${path.relative(process.cwd(), file)}: run \`npm run build\` first`);
  return (await import(pathToFileURL(file).href)) as M;
}
