import type { Table } from "apache-arrow";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { z } from "zod";
import { buildStage, parseParams, type StageDefinition } from "../../src/core/define-stage.js";
import { isInputError } from "../../src/core/errors.js";
import { quietContext } from "../../src/core/run-context.js";
import type { SavedStage } from "../../src/core/saved-stage.js";
import type { Estimator, Evaluator, FittedStage, Model, Splitter, Transformer } from "../../src/core/stage.js";
import { builtinStages, createRegistry } from "../../stages/index.js";

/**
 * Contract tests generated from the registry (DESIGN.md principle 9): every stage with an example is checked the
 * same way, so a new stage (ALS, plugins) gets them by being registered.
 */
const registry = createRegistry();
const ctx = quietContext();

function loadSaved(saved: SavedStage): FittedStage | Estimator | Evaluator {
  const loader = registry.loaderFor(saved.className);
  if (!loader) throw new Error(`no loader registered for ${saved.className}`);
  return loader(saved, loadSaved);
}

/** Column names, types and values, comparable with toEqual (NaN equals NaN there). */
function contents(t: Table) {
  return t.schema.fields.map((f) => ({ name: f.name, type: String(f.type), values: Array.from(t.getChild(f.name) as Iterable<unknown>) }));
}
const fieldsOf = (t: Table | { fields: { name: string; type: unknown }[] }) =>
  ("schema" in t ? t.schema.fields : t.fields).map((f) => `${f.name}: ${String(f.type)}`);

const snapshot = (s: { params: unknown; explicitParams: ReadonlySet<string> }) => JSON.stringify({ params: s.params, explicit: [...s.explicitParams].sort() });

describe("every pipeline stage provides an example", () => {
  it.each(builtinStages.filter((d) => d.role === "transformer" || d.role === "estimator").map((d) => [d.type, d] as const))("%s", (_, def) => {
    expect(def.example, `${def.type} has no example`).toBeTypeOf("function");
  });
});

const withExample = builtinStages.filter((d) => d.example !== undefined).map((d) => [d.type, d] as const);

describe.each(withExample)("contract: %s", (_, def: StageDefinition) => {
  const example = def.example!();
  const build = () => buildStage(def, example.params, { name: def.type, uidSeed: 1 });

  it("builds with its defaults (or names the required params) and with the example params", () => {
    let defaults: unknown;
    try {
      defaults = parseParams(def, {});
    } catch (e) {
      expect(isInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(/required|must be/);
    }
    if (defaults !== undefined) expect(buildStage(def, {}).type).toBe(def.type);
    const stage = build();
    expect(stage.type).toBe(def.type);
    expect(stage.uid.startsWith(`${def.uidPrefix}_`)).toBe(true);
    expect(build().uid).toBe(stage.uid); // deterministic uid
  });

  it("every param has doc text", () => {
    // The JSON Schema is what `recpipe explain` and `recpipe schema` show; it finds `.describe()` text at any wrapper level.
    const props = (z.toJSONSchema(def.params, { io: "input" }) as { properties: Record<string, { description?: string }> }).properties;
    for (const name of Object.keys(def.params.shape)) expect(props[name]?.description, `${def.type}.${name}`).toBeTruthy();
  });

  it("params round-trip through YAML text and zod", () => {
    const stage = build() as { params: Record<string, unknown> };
    const text = YAML.stringify(stage.params);
    expect(parseParams(def, YAML.parse(text) ?? {})).toEqual(stage.params);
  });

  if (def.role === "transformer" || def.role === "estimator") {
    it("transformSchema agrees with the output; fit does not mutate; save -> load -> transform is identical", async () => {
      const stage = build() as Transformer | Estimator;
      const input = example.test ?? example.train;
      let fitted: Transformer | Model;
      if (stage.role === "estimator") {
        const before = snapshot(stage);
        fitted = await stage.fit(example.train, ctx);
        expect(snapshot(stage)).toBe(before);
        expect(fieldsOf(fitted.transformSchema(input.schema))).toEqual(fieldsOf(stage.transformSchema(input.schema)));
        // Every estimator loads back from its save (Spark's Estimator.load), with the same params and explicit set.
        expect(registry.loaderFor(stage.save().className), `${def.type}: no loader for ${stage.save().className}`).toBeDefined();
        expect(snapshot(loadSaved(stage.save()) as Estimator)).toBe(snapshot(stage));
      } else {
        fitted = stage;
      }
      const out = await fitted.transform(input, ctx);
      expect(fieldsOf(out)).toEqual(fieldsOf(fitted.transformSchema(input.schema)));
      const saved = fitted.save();
      const loaded = loadSaved(saved) as Transformer | Model;
      expect(loaded.uid).toBe(fitted.uid);
      expect(contents(await loaded.transform(input, ctx))).toEqual(contents(out));
      expect(loaded.save().paramMap).toEqual(saved.paramMap);
      expect(loaded.save().defaultParamMap).toEqual(saved.defaultParamMap);
    });
  }

  if (def.role === "evaluator") {
    it("save -> load keeps the metric; a non-ranking evaluator gives the same value", async () => {
      const ev = build() as Evaluator;
      const loaded = loadSaved(ev.save()) as Evaluator;
      expect([loaded.metricKey, loaded.isLargerBetter, loaded.needsRecommender]).toEqual([ev.metricKey, ev.isLargerBetter, ev.needsRecommender]);
      expect(loaded.params).toEqual(ev.params);
      if (!ev.needsRecommender) {
        const v = await ev.evaluate({ predictions: example.train }, ctx);
        expect(Number.isFinite(v)).toBe(true);
        expect(await loaded.evaluate({ predictions: example.train }, ctx)).toBe(v);
      }
    });
  }

  if (def.role === "split") {
    it("splits deterministically, every row in exactly one split, columns unchanged", () => {
      const s = build() as Splitter;
      const a = s.split(example.train, ctx);
      const b = s.split(example.train, ctx);
      expect(contents(a.train)).toEqual(contents(b.train));
      expect(contents(a.test)).toEqual(contents(b.test));
      expect(a.train.numRows + a.test.numRows).toBe(example.train.numRows);
      expect(fieldsOf(a.train)).toEqual(fieldsOf(example.train));
      expect(fieldsOf(a.test)).toEqual(fieldsOf(example.train));
    });
  }
});
