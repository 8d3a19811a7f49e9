import { InputError } from "../../core/errors.js";
import type { StageRegistry } from "../../core/registry.js";
import type { PipelineSpec, StageSpec } from "../../spec/spec.js";
import { isClusterPath } from "./cluster-path.js";
import { remoteStageOf } from "./stages/index.js";

/** Every setting of a pipeline that cannot run on Spark Connect, as "key path: reason" lines; empty when it can. */
export function remoteRefusals(spec: PipelineSpec, registry: StageRegistry): string[] {
  const out: string[] = [];
  if (spec.plugins.length > 0)
    out.push(`plugins: plugin stages run only in recpipe's own engine; a Spark cluster cannot load them (remove plugins or run without --remote)`);
  if (spec.source.kind === "file" && isClusterPath(spec.source.path) && spec.source.format === "arrow") {
    out.push(`source.format: Spark has no reader for Arrow IPC files on the cluster; use parquet, csv, tsv or jsonl, or a local path (uploaded)`);
  }
  // This round's local-only additions, refused by key rather than silently left out of a remote run.
  if (spec.items) out.push(`items: item attributes are joined only by recpipe's own engine (run without --remote)`);
  if (spec.recommend?.similarItems !== undefined)
    out.push(
      `recommend.similarItems: similar items are computed only by recpipe's own engine (run without --remote, or use recpipe recommend --model DIR --similar-items on the fetched model)`,
    );
  spec.baselines.forEach((b, i) => {
    if (b.kind === "pipeline") out.push(`baselines[${i}] (${b.name}): model-pipeline baselines run only in recpipe's own engine (run without --remote)`);
  });
  const check = (s: StageSpec, at: string) => {
    const remote = remoteStageOf(registry.get(s.type));
    const where = `${at} (${s.type})`;
    if (!remote) {
      out.push(`${where}.type: ${s.type} has no Spark Connect equivalent in recpipe; it runs only in the local engine (run without --remote)`);
      return;
    }
    const r = remote.refuse?.(s.params);
    if (r) out.push(`${where}.${r.key}: ${r.reason}`);
  };
  // A prepare step runs as its Spark plan (drop-na, drop-duplicates, min-count-filter) or its Spark transformer.
  spec.prepare.forEach((s, i) => {
    check(s, `prepare[${i}]`);
    const remote = remoteStageOf(registry.get(s.type));
    if (remote && !remote.prepare && (remote.runs !== "ml" || remote.resolve))
      out.push(`prepare[${i}] (${s.type}).type: ${s.type} cannot be a prepare step on Spark Connect (run without --remote)`);
  });
  check(spec.split, "split");
  spec.pipeline.forEach((s, i) => check(s, `pipeline[${i}]`));
  spec.evaluate.forEach((s, i) => check(s, `evaluate[${i}]`));
  if (spec.tune) {
    check(spec.tune, "tune");
    check(spec.tune.evaluator, "tune.evaluator");
  }
  return out;
}

/** Refuses, with exit 2, a pipeline that cannot run remotely: before connecting, so no cluster work is wasted. */
export function assertRunsRemotely(file: string, spec: PipelineSpec, registry: StageRegistry): void {
  const why = remoteRefusals(spec, registry);
  if (why.length > 0) throw new InputError("E_UNSUPPORTED", `${file}: cannot run on Spark Connect:\n${why.map((w) => `  ${w}`).join("\n")}`);
}
