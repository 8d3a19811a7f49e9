import { displayPath } from "../io/display-path.js";
import { existsSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { stringify } from "yaml";
import { listFilesRecursive, writeDirAtomically } from "../io/atomic-dir.js";
import { saveModel } from "../io/model-store.js";
import { asWriteInputError } from "../io/write-error.js";
import { writeTable } from "../io/write-table.js";
import { recpipeVersion, sha256Text, type ArtefactRecord, type Manifest } from "./manifest.js";
import { renderRunReport } from "./run-report.js";
import type { RunOutcome } from "./run-outcome.js";
import { tunedModelSaved, tuningTable } from "../model/tuned-model.js";

/**
 * Writes `runs/<name>-<yyyymmdd-hhmmss>/` under a temporary sibling and renames it into place at the end, so a run
 * directory appears complete or not at all. manifest.json is written last and hashes every other artefact.
 */
export async function writeRunDirectory(o: RunOutcome, opts: { outDir?: string; now: Date }): Promise<string> {
  const spec = o.loaded.spec;
  const outDir = opts.outDir ? resolve(opts.outDir) : isAbsolute(spec.output.dir) ? spec.output.dir : resolve(o.loaded.baseDir, spec.output.dir);
  const target = uniqueName(join(outDir, `${spec.name}-${stamp(opts.now)}`));
  const shown = displayPath(target);
  // A full disk (or quota, size limit, read-only folder) is the environment, not a bug: exit 2 naming the run
  // directory; writeDirAtomically has already removed the partial tree.
  await fillRunDirectory(o, opts, target).catch((e: unknown) => {
    throw asWriteInputError(e, shown, "; the run directory was not created and nothing of it was kept");
  });
  return target;
}

async function fillRunDirectory(o: RunOutcome, opts: { now: Date }, target: string): Promise<void> {
  const spec = o.loaded.spec;
  await writeDirAtomically(target, async (tmp) => {
    const pipelineYaml = stringify(o.loaded.resolved, { lineWidth: 0 });
    await writeFile(join(tmp, "pipeline.yaml"), pipelineYaml);
    const saved = o.tune ? tunedModelSaved(o.tune, o.model, o.loaded.spec.seed, spec.name, o.loaded.registry) : o.model.save();
    await saveModel(join(tmp, "model"), { ...saved, timestamp: opts.now.getTime() });
    if (o.tune) await writeTable(tuningTable(o.tune), join(tmp, "tuning.parquet"), { format: "parquet" });
    if (o.recommendations?.table) await writeTable(o.recommendations.table, join(tmp, "recommendations.parquet"), { format: "parquet" });
    if (o.recommendations?.itemTable) await writeTable(o.recommendations.itemTable, join(tmp, "item-recommendations.parquet"), { format: "parquet" });
    const metrics = { metrics: o.metrics, baselines: o.baselines, trainMetrics: o.trainMetrics, notes: o.notes, ...(o.tune ? { tune: o.tune.summary } : {}), ...(o.prepare ? { prepare: o.prepare } : {}) };
    await writeFile(join(tmp, "metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
    await writeFile(join(tmp, "report.html"), await renderRunReport(o, pipelineYaml, opts.now));
    const manifest: Manifest = {
      recpipeVersion: recpipeVersion(),
      nodeVersion: process.version,
      platform: `${process.platform}-${process.arch}`,
      createdAt: opts.now.toISOString(),
      seed: spec.seed,
      workers: o.workers,
      engine: o.engine?.name ?? "local",
      ...(o.engine?.sparkVersion ? { sparkVersion: o.engine.sparkVersion } : {}),
      ...(o.engine?.remote ? { remote: o.engine.remote } : {}),
      pipelineFile: o.loaded.file,
      pipelineSha256: sha256Text(pipelineYaml),
      overrides: o.loaded.overrides.map((x) => x.text),
      inputs: [o.input],
      artefacts: await artefactRecords(tmp),
      timingsSeconds: o.timings.seconds,
      metrics: o.metrics,
      baselines: o.baselines,
      ...(o.prepare ? { prepare: o.prepare } : {}),
    };
    await writeFile(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  });
}

export async function artefactRecords(dir: string): Promise<ArtefactRecord[]> {
  const out: ArtefactRecord[] = [];
  for (const rel of await listFilesRecursive(dir)) {
    if (rel === "manifest.json") continue;
    const bytes = await readFile(join(dir, rel));
    // Bytes only: decoding every Parquet file just written to hash its rows cost a second on a 25M-rating run;
    // `reproduce` compares rows only when two files' bytes differ, and decodes those two then.
    out.push({ path: rel, bytes: (await stat(join(dir, rel))).size, sha256: sha256Text(bytes) });
  }
  return out;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Two runs in the same second get `-2`, `-3`, ... rather than one replacing the other. */
function uniqueName(path: string): string {
  if (!existsSync(path)) return path;
  for (let i = 2; ; i++) if (!existsSync(`${path}-${i}`)) return `${path}-${i}`;
}
