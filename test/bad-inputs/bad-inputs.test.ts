import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCases } from "./all-cases.js";
import type { CaseContext } from "./case.js";
import { PIPELINE, RATINGS_CSV, write } from "./fixtures.js";
import { normalise, renderDoc, type CaseOutcome } from "./render-doc.js";
import { CLI, REPO, runCli } from "./run-cli.js";

/**
 * Every bad input of docs/bad-inputs.md, run through the built CLI (`npm run build` first). All cases run up front, a
 * few at a time (each is a separate process), then each is checked by its own test; the last test compares the doc
 * with what the CLI answered (BAD_INPUTS_DOC=write regenerates it: `node scripts/bad-inputs-doc.mjs`).
 */
const DOC = path.join(REPO, "docs/bad-inputs.md");
const CONCURRENCY = 3;

const root = mkdtempSync(path.join(os.tmpdir(), "recpipe-bad-inputs-"));
const outcomes = new Map<string, CaseOutcome & { ctx: CaseContext }>();

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  // One valid model for the model-directory cases to copy and break.
  const base = path.join(root, "_model-run");
  write(base, "p.yaml", PIPELINE);
  write(base, "ratings.csv", RATINGS_CSV);
  const made = await runCli(["run", "p.yaml", "--json", "--quiet", "--workers", "1"], base);
  if (made.exitCode !== 0) throw new Error(`fixture run failed: ${made.stderr}`);
  const model = path.join(path.resolve(base, (JSON.parse(made.stdout) as { runDir: string }).runDir), "model");

  let next = 0;
  const worker = async () => {
    while (next < allCases.length) {
      const c = allCases[next++];
      const dir = path.join(root, c.id);
      const ctx: CaseContext = { dir, model };
      write(dir, ".keep", "");
      c.setup(ctx);
      const t0 = Date.now();
      const r = await runCli(c.args, dir, { shellPrefix: c.shellPrefix });
      outcomes.set(c.id, { c, r, shown: normalise(r.stderr, dir), ctx });
      if (process.env.BAD_INPUTS_TRACE) process.stderr.write(`[${c.id}] exit ${r.exitCode} in ${Date.now() - t0} ms\n${r.stderr}\n`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("bad inputs through the CLI", () => {
  it("has at least 35 cases with distinct ids", () => {
    expect(allCases.length).toBeGreaterThanOrEqual(35);
    expect(new Set(allCases.map((c) => c.id)).size).toBe(allCases.length);
  });

  for (const c of allCases) {
    it(`${c.area}: ${c.input} -> exit ${c.exit}`, () => {
      const o = outcomes.get(c.id)!;
      expect(o.r.timedOut, "the CLI hung").toBe(false);
      expect({ exit: o.r.exitCode, stderr: o.r.stderr }).toMatchObject({ exit: c.exit });
      expect(o.r.stderr).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
      if (c.exit === 2) {
        for (const m of c.message ?? []) {
          if (typeof m === "string") expect(o.r.stderr).toContain(m);
          else expect(o.r.stderr).toMatch(m);
        }
        // An invalid input leaves no run directory, finished or not.
        const runs = path.join(o.ctx.dir, "runs");
        expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
      } else {
        c.verify?.(o.r, o.ctx);
      }
    });
  }

  it("docs/bad-inputs.md is what the cases answer", () => {
    const doc = renderDoc(allCases.map((c) => outcomes.get(c.id)!));
    if (process.env.BAD_INPUTS_DOC === "write") writeFileSync(DOC, doc);
    expect(existsSync(DOC) ? readFileSync(DOC, "utf8") : "(missing)").toBe(doc);
  });
});
