import { displayPath } from "../io/display-path.js";
import { readFile, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { stringify } from "yaml";
import { listFilesRecursive, writeNewDirAtomically } from "../io/atomic-dir.js";
import { saveModel } from "../io/model-store.js";
import { asWriteInputError } from "../io/write-error.js";
import { writeTable } from "../io/write-table.js";
import { recpipeVersion, sha256Text, type ArtefactRecord, type Manifest } from "./manifest.js";
import { renderRunReport } from "./run-report.js";
import type { RunOutcome } from "./run-outcome.js";
import { tunedModelSaved, tuningTable } from "../model/tuned-model.js";
import { ITEM_ATTRIBUTES_TABLE } from "../model/item-attributes.js";

/**
 * Writes `runs/<name>-<yyyymmdd-hhmmss>/` under a temporary sibling and renames it into place at the end, so a run
 * directory appears complete or not at all. manifest.json is written last and hashes every other artefact.
 */
export async function writeRunDirectory(o: RunOutcome, opts: { outDir?: string; now: Date }): Promise<string> {
  const spec = o.loaded.spec;
  const outDir = opts.outDir ? resolve(opts.outDir) : isAbsolute(spec.output.dir) ? spec.output.dir : resolve(o.loaded.baseDir, spec.output.dir);
  const target = join(outDir, `${spec.name}-${stamp(opts.now)}`);
  const shown = displayPath(target);
  // A full disk (or quota, size limit, read-only folder) is the environment, not a bug: exit 2 naming the run
  // directory; writeNewDirAtomically has already removed the partial tree.
  return fillRunDirectory(o, opts, target).catch((e: unknown) => {
    throw asWriteInputError(e, shown, "; the run directory was not created and nothing of it was kept");
  });
}

/** Two runs in the same second get `-2`, `-3`, ... (claimed when the finished tree is renamed into place). */
async function fillRunDirectory(o: RunOutcome, opts: { now: Date }, target: string): Promise<string> {
  const spec = o.loaded.spec;
  const { dir } = await writeNewDirAtomically(target, async (tmp) => {
    const pipelineYaml = stringify(o.loaded.resolved, { lineWidth: 0 });
    await writeFile(join(tmp, "pipeline.yaml"), pipelineYaml);
    const saved = o.tune ? tunedModelSaved(o.tune, o.model, o.loaded.spec.seed, spec.name, o.loaded.registry) : o.model.save();
    // The item attributes travel with the model (a folder beside metadata/, which Spark's loaders ignore), so
    // `recpipe recommend --model` shows titles without the items file.
    const tables = o.itemAttributes ? { ...saved.tables, [ITEM_ATTRIBUTES_TABLE]: o.itemAttributes.table } : saved.tables;
    await saveModel(join(tmp, "model"), { ...saved, ...(tables ? { tables } : {}), timestamp: opts.now.getTime() });
    if (o.tune) await writeTable(tuningTable(o.tune), join(tmp, "tuning.parquet"), { format: "parquet" });
    if (o.recommendations?.table) await writeTable(o.recommendations.table, join(tmp, "recommendations.parquet"), { format: "parquet" });
    if (o.recommendations?.itemTable) await writeTable(o.recommendations.itemTable, join(tmp, "item-recommendations.parquet"), { format: "parquet" });
    if (o.recommendations?.similarTable) await writeTable(o.recommendations.similarTable, join(tmp, "similar-items.parquet"), { format: "parquet" });
    // The objective after each ALS sweep, by stage name: report.html draws it, and tracking logs it as steps.
    const trainingLoss = Object.fromEntries(
      o.model.stages.flatMap((s) => ("trainingHistory" in s && s.trainingHistory?.length ? [[s.name, s.trainingHistory]] : [])),
    );
    const metrics = {
      metrics: o.metrics,
      baselines: o.baselines,
      trainMetrics: o.trainMetrics,
      notes: o.notes,
      ...(o.tune ? { tune: o.tune.summary } : {}),
      ...(Object.keys(trainingLoss).length ? { trainingLoss } : {}),
      ...(o.prepare ? { prepare: o.prepare } : {}),
    };
    await writeFile(join(tmp, "metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
    await writeFile(join(tmp, "report.html"), await renderRunReport(o, pipelineYaml, opts.now));
    const manifest: Manifest = {
      recpipeVersion: recpipeVersion(),
      nodeVersion: process.version,
      platform: `${process.platform}-${process.arch}`,
      createdAt: opts.now.toISOString(),
      seed: spec.seed,
      workers: o.workers,
      ...(o.alsKernel && !o.engine ? { kernels: { als: o.alsKernel } } : {}),
      engine: o.engine?.name ?? "local",
      ...(o.engine?.sparkVersion ? { sparkVersion: o.engine.sparkVersion } : {}),
      ...(o.engine?.remote ? { remote: o.engine.remote } : {}),
      pipelineFile: o.loaded.file,
      pipelineSha256: sha256Text(pipelineYaml),
      overrides: o.loaded.overrides.map((x) => x.text),
      inputs: [o.input, ...(o.itemsInput ? [o.itemsInput] : [])],
      artefacts: await artefactRecords(tmp),
      timingsSeconds: o.timings.seconds,
      metrics: o.metrics,
      baselines: o.baselines,
      ...(o.prepare ? { prepare: o.prepare } : {}),
    };
    await writeFile(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  });
  return dir;
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
