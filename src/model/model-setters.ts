import { parse } from "yaml";
import { ZodError } from "zod";
import { InputError } from "../core/errors.js";
import type { FittedStage, Model } from "../core/stage.js";
import { PipelineModel } from "./pipeline-model.js";

/**
 * `recpipe predict --set coldStartStrategy=nan`: Spark's model setters (ALSModel.setColdStartStrategy, setUserCol,
 * ...) at use, without refitting. KEY is a param name, or `<stage type>.<param>` when several stages have it; VALUE is
 * parsed as YAML, as `recpipe run --set` does.
 */
export function applyModelSetters(model: PipelineModel, sets: string[]): PipelineModel {
  if (sets.length === 0) return model;
  const overrides = new Map<number, Record<string, unknown>>();
  const settable = model.stages.map((s) => (s.role === "model" ? ((s as Model).settableParams ?? []) : []));
  for (const text of sets) {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new InputError("E_ARGS", `--set ${text}: expected PARAM=VALUE (e.g. --set coldStartStrategy=nan)`);
    const key = text.slice(0, eq);
    const dot = key.lastIndexOf(".");
    const type = dot < 0 ? undefined : key.slice(0, dot);
    const param = key.slice(dot + 1);
    let value: unknown;
    try {
      value = parse(text.slice(eq + 1), { schema: "core" });
    } catch (e) {
      throw new InputError("E_ARGS", `--set ${text}: the value is not valid YAML (${(e as Error).message.split("\n")[0]})`);
    }
    const hits = model.stages.map((s, i) => i).filter((i) => settable[i].includes(param) && (type === undefined || model.stages[i].type === type));
    if (hits.length === 0) {
      const offer = model.stages.map((s, i) => (settable[i].length ? `${s.type}: ${settable[i].join(", ")}` : "")).filter(Boolean);
      throw new InputError(
        "E_ARGS",
        `--set ${text}: no stage of the model lets "${key}" be set at use; settable: ${offer.join("; ") || "nothing (no stage of this model has setters)"}`,
      );
    }
    if (hits.length > 1)
      throw new InputError(
        "E_ARGS",
        `--set ${text}: ${hits.length} stages have "${param}" (${hits.map((i) => model.stages[i].type).join(", ")}); say which with --set <type>.${param}=...`,
      );
    overrides.set(hits[0], { ...(overrides.get(hits[0]) ?? {}), [param]: value });
  }
  const stages = model.stages.map((s, i): FittedStage => {
    const o = overrides.get(i);
    if (!o) return s;
    try {
      return (s as Model).withParams!(o);
    } catch (e) {
      if (e instanceof ZodError) throw new InputError("E_ARGS", `--set: ${s.type}: ${e.issues.map((x) => `${x.path.join(".")} ${x.message}`).join("; ")}`);
      throw e;
    }
  });
  return new PipelineModel(model.uid, stages);
}
