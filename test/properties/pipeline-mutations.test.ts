import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { isInputError } from "../../src/core/errors.js";
import { validatePipeline } from "../../src/run/validate-pipeline.js";
import { PIPELINE, RATINGS_CSV } from "../bad-inputs/fixtures.js";
import { runCli } from "../bad-inputs/run-cli.js";

/**
 * Random mutations of a valid pipeline file (delete or rename a key, change a value's type, put in a random value)
 * must end in success or an InputError (exit 2): never another exception, never a hang.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), "recpipe-mutations-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, "ratings.csv"), RATINGS_CSV);

const VALID = parse(
  PIPELINE +
    `tune:
  type: cross-validator
  numFolds: 2
  evaluator: {type: regression-evaluator, metricName: rmse}
  paramGrid: {als.rank: [1, 2]}
recommend: {k: 3, users: all, excludeSeen: true}
output: {dir: runs}
`,
) as Record<string, unknown>;

type Path = (string | number)[];

/** Every key path in the object (mapping keys and list indices). */
function paths(x: unknown, at: Path = []): Path[] {
  if (Array.isArray(x)) return x.flatMap((v, i) => [[...at, i], ...paths(v, [...at, i])]);
  if (x && typeof x === "object") return Object.entries(x).flatMap(([k, v]) => [[...at, k], ...paths(v, [...at, k])]);
  return [];
}

const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: false }),
  fc.string({ maxLength: 8 }),
  fc.constantFrom("als", "user", "rating", "ratings.csv", "-1", "", "drop", "../../etc/passwd"),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 5 }), fc.string({ maxLength: 3 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

type Mutation = { kind: "delete" | "rename" | "set"; pick: number; value: unknown; name: string };
const mutationArb = fc.record({
  kind: fc.constantFrom("delete", "rename", "set"),
  pick: fc.nat(),
  value: anyValue,
  name: fc.constantFrom("rnak", "typ", "evalute", "inputCol", "x"),
}) as fc.Arbitrary<Mutation>;

function mutate(obj: Record<string, unknown>, ms: Mutation[]): Record<string, unknown> {
  const out = structuredClone(obj);
  for (const m of ms) {
    const all = paths(out);
    if (all.length === 0) break;
    const p = all[m.pick % all.length];
    const parent = p.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], out) as Record<string | number, unknown> | unknown[];
    const key = p[p.length - 1];
    if (m.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.kind === "rename" && !Array.isArray(parent)) {
      parent[m.name] = parent[key];
      delete parent[key];
    } else (parent as Record<string | number, unknown>)[key] = m.value;
  }
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`hang: no answer in ${ms} ms`)), ms))]);
}

let n = 0;
function writeMutant(obj: Record<string, unknown>): string {
  const file = path.join(dir, `m${n++}.yaml`);
  writeFileSync(file, stringify(obj));
  return file;
}

describe("mutated pipeline files", () => {
  it("the unmutated file is valid", async () => {
    await validatePipeline(writeMutant(VALID));
  });

  it("validate ends in success or an input error (exit 2), never a crash or a hang", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (ms) => {
        const file = writeMutant(mutate(VALID, ms));
        try {
          await withTimeout(validatePipeline(file), 10_000);
        } catch (e) {
          if (!isInputError(e)) throw e;
          expect((e as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("through the CLI, a few mutants exit 0 or 2", async () => {
    const samples = fc.sample(fc.array(mutationArb, { minLength: 1, maxLength: 2 }), { numRuns: 3, seed: 7 });
    for (const ms of samples) {
      const file = writeMutant(mutate(VALID, ms));
      const r = await runCli(["validate", path.basename(file)], dir, { timeoutMs: 60_000 });
      expect(r.timedOut).toBe(false);
      expect([0, 2], r.stderr).toContain(r.exitCode);
      expect(r.stderr).not.toContain("internal error");
    }
  });
});
