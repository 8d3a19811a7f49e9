import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { sha256File } from "../io/atomic-dir.js";
import { isCrcFileName, verifyCrcIfPresent } from "../io/hadoop-crc.js";
import type { Manifest } from "../run/manifest.js";
import type { RunSummary } from "./run-summary.js";

/**
 * `recpipe runs --verify`: what the fast listing cannot see. The listing compares sizes only (a flipped byte keeps
 * the size); this reads every artefact and compares its sha256 with manifest.json's, and checks every model file
 * against the Hadoop `.crc` beside it, as Spark would when it loads the model. A run that fails either is damaged,
 * with the files named. Runs already unfinished or damaged are left as they are.
 */
export async function verifyRunArtefacts(run: RunSummary): Promise<RunSummary> {
  if (run.status !== "complete") return run;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(run.dir, "manifest.json"), "utf8")) as Manifest;
  } catch {
    return run; // the listing has already said what is wrong with it
  }
  const problems: string[] = [];
  for (const a of manifest.artefacts ?? []) {
    const file = join(run.dir, a.path);
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    if (a.sha256 && (await sha256File(file)) !== a.sha256) problems.push(`${a.path}: sha256 differs from manifest.json's (changed after the run was written)`);
    if (a.path.startsWith("model/") && !isCrcFileName(basename(a.path))) {
      try {
        await verifyCrcIfPresent(file, a.path);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
  }
  if (problems.length === 0) return run;
  return {
    ...run,
    status: "damaged",
    problem: problems.slice(0, 3).join("; ") + (problems.length > 3 ? `; and ${problems.length - 3} more` : ""),
  };
}
