import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipelineFile } from "../../src/spec/load-pipeline-file.js";

const dir = mkdtempSync(join(tmpdir(), "recpipe-load-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const valid = `name: t
source: {type: synthetic-ratings, users: 10, items: 10}
pipeline:
  - type: string-indexer
    inputCols: [user, item]
    outputCols: [u, i]
  - type: als
    userCol: u
    itemCol: i
    rank: 4
`;

async function error(path: string, set: string[] = [], allowPlugins = false): Promise<{ message: string; exit: number }> {
  try {
    await loadPipelineFile(path, { set, allowPlugins });
  } catch (e) {
    return { message: (e as Error).message, exit: (e as { exitCode?: number }).exitCode ?? 1 };
  }
  throw new Error("expected an error");
}

describe("loadPipelineFile", () => {
  it("fills every default and keeps what was written as the explicit params", async () => {
    const l = await loadPipelineFile(file("ok.yaml", valid));
    expect(l.spec.seed).toBe(42);
    const als = l.spec.pipeline[1];
    expect(als.params.rank).toBe(4);
    expect(als.params.regParam).toBe(0.1);
    expect(als.params.coldStartStrategy).toBe("nan");
    expect(Object.keys(als.raw)).toEqual(["userCol", "itemCol", "rank"]);
    expect(l.spec.split.type).toBe("random-split");
    expect((l.resolved.pipeline as Record<string, unknown>[])[1].maxIter).toBe(10);
  });

  it("reports a wrong param with file:line:col, the stage, what was expected and what was found", async () => {
    const e = await error(file("rank0.yaml", valid.replace("rank: 4", "rank: 0")));
    expect(e.exit).toBe(2);
    expect(e.message).toMatch(/rank0\.yaml:10:11 pipeline\[1\] \(als\)\.rank must be >= 1; got 0/);
  });

  it("suggests the right name for an unknown key, stage param and stage type", async () => {
    expect((await error(file("top.yaml", valid + "colour: blue\n"))).message).toMatch(/colour is not a known key/);
    expect((await error(file("param.yaml", valid.replace("rank: 4", "rnak: 4")))).message).toMatch(
      /pipeline\[1\] \(als\)\.rnak is not a known key \(did you mean "rank"\?\)/,
    );
    expect((await error(file("type.yaml", valid.replace("type: als", "type: alss")))).message).toMatch(
      /unknown estimator or transformer type "alss" \(did you mean "als"\?\)/,
    );
  });

  it("lists an enum's allowed values", async () => {
    const e = await error(file("enum.yaml", valid.replace("rank: 4", "coldStartStrategy: dorp")));
    expect(e.message).toMatch(/coldStartStrategy must be one of "nan", "drop"; got "dorp"/);
  });

  it("refuses malformed YAML with a position", async () => {
    const e = await error(file("bad.yaml", "name: [t\nsource: {"));
    expect(e.exit).toBe(2);
    expect(e.message).toMatch(/bad\.yaml:\d+:\d+ is not valid YAML/);
  });

  it("applies --set by stage name, parses values as YAML, and names a --set key that does not exist", async () => {
    const l = await loadPipelineFile(file("set.yaml", valid), { set: ["pipeline.als.rank=16", "seed=7", "pipeline.als.nonnegative=true"] });
    expect(l.spec.pipeline[1].params.rank).toBe(16);
    expect(l.spec.pipeline[1].params.nonnegative).toBe(true);
    expect(l.spec.seed).toBe(7);
    expect((await error(file("set2.yaml", valid), ["pipeline.als.rnak=3"])).message).toMatch(
      /--set pipeline\.als\.rnak=3: pipeline\[1\] \(als\)\.rnak is not a known key \(did you mean "rank"\?\)/,
    );
    expect((await error(file("set3.yaml", valid), ["pipeline.alz.rank=3"])).message).toMatch(/no pipeline stage is named "alz" \(did you mean "als"\?\)/);
  });

  it("--set addresses a tuning grid key, which has a dot in it: plain, quoted in brackets, or bracketed", async () => {
    const tuned = valid + "tune:\n  type: cross-validator\n  evaluator: {type: regression-evaluator}\n  paramGrid: {als.rank: [4, 8], als.regParam: [0.09]}\n";
    const grid = async (set: string[]) =>
      Object.fromEntries((await loadPipelineFile(file("grid-set.yaml", tuned), { set })).spec.tune!.grid.map((g) => [`${g.stage}.${g.param}`, g.values]));
    for (const form of ["tune.paramGrid.als.regParam", 'tune.paramGrid["als.regParam"]', "tune.paramGrid['als.regParam']", "tune.paramGrid[als.regParam]"]) {
      expect(await grid([`${form}=[0.3,1,3]`]), form).toEqual({ "als.rank": [4, 8], "als.regParam": [0.3, 1, 3] });
    }
    // A new grid key, and baseOn (also stage.param keys).
    expect(await grid(["tune.paramGrid.als.maxIter=[2,3]"])).toMatchObject({ "als.maxIter": [2, 3] });
    const based = await loadPipelineFile(file("grid-base.yaml", tuned), { set: ["tune.baseOn.als.maxIter=3"] });
    expect(based.spec.tune!.params.baseOn).toEqual({ "als.maxIter": 3 });
    // A bracketed stage name under pipeline.
    expect((await loadPipelineFile(file("grid-br.yaml", valid), { set: ['pipeline["als"].rank=6'] })).spec.pipeline[1].params.rank).toBe(6);
    expect((await error(file("grid-bad.yaml", tuned), ['tune.paramGrid["als.regParam=[1]'])).message).toMatch(
      /unclosed "\[".*tune\.paramGrid\["als\.regParam"\]/,
    );
    expect((await error(file("grid-bad2.yaml", tuned), ["tune.paramGrid.als.rnk=[1]"])).message).toMatch(/has no param "rnk" \(did you mean "rank"\?\)/);
  });

  it("merges included fragments under the file's own keys and refuses a cycle", async () => {
    file("frag.yaml", "seed: 5\nsource: {type: synthetic-ratings, users: 99}\n");
    const l = await loadPipelineFile(file("inc.yaml", "include: [frag.yaml]\n" + valid));
    expect(l.spec.seed).toBe(5);
    expect((l.spec.source as { users: number }).users).toBe(10);
    file("self.yaml", "include: [self.yaml]\n" + valid);
    expect((await error(join(dir, "self.yaml"))).message).toMatch(/forms a cycle/);
  });

  it("checks the tuning grid against the stages' schemas before anything runs", async () => {
    const tune = (grid: string) => valid + `tune:\n  type: cross-validator\n  evaluator: {type: regression-evaluator}\n  paramGrid: ${grid}\n`;
    expect((await error(file("g1.yaml", tune("{als.rnk: [1]}")))).message).toMatch(/has no param "rnk" \(did you mean "rank"\?\)/);
    expect((await error(file("g2.yaml", tune("{alx.rank: [1]}")))).message).toMatch(/no pipeline stage is named "alx"/);
    expect((await error(file("g3.yaml", tune("{als.rank: [4, 0]}")))).message).toMatch(/paramGrid\.als\.rank\[1\] must be >= 1; got 0/);
    expect((await error(file("g4.yaml", tune("{}")))).message).toMatch(/paramGrid is empty/);
    const ok = await loadPipelineFile(file("g5.yaml", tune("{als.rank: [4, 8], als.regParam: [0.1, 0.2, 0.3]}")));
    expect(ok.spec.tune!.grid.map((g) => g.values.length)).toEqual([2, 3]);
  });

  it("loads a plugin stage through the same registry checks", async () => {
    const l = await loadPipelineFile(
      file(
        "plug.yaml",
        valid.replace(
          "pipeline:\n",
          `plugins: [${join(process.cwd(), "test/fixtures/plugins/noop-transformer.ts")}]\npipeline:\n  - {type: noop-transformer, factor: 2}\n`,
        ),
      ),
      { allowPlugins: true },
    );
    expect(l.spec.pipeline[0].type).toBe("noop-transformer");
    expect((await error(file("plug2.yaml", valid.replace("pipeline:\n", "plugins: [./nope.ts]\npipeline:\n")), [], true)).message).toMatch(
      /plugins: "\.\/nope\.ts" not found \(expected a module at .*nope\.ts\)/,
    );
  });
});
