import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Table, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { quietContext } from "../../src/core/run-context.js";
import { buildPipelineStages } from "../../src/spec/build-stages.js";
import { loadPipelineFile } from "../../src/spec/load-pipeline-file.js";
import { fitPipeline } from "../../src/model/pipeline-model.js";

/** index-to-string's `labelsFrom`: the labels of a string-indexer fitted earlier in the same pipeline. */
const dir = mkdtempSync(join(tmpdir(), "recpipe-labels-from-"));
function file(name: string, stages: string): string {
  const p = join(dir, name);
  writeFileSync(p, `name: t\nsource: {type: synthetic-ratings, users: 10, items: 10}\npipeline:\n${stages}`);
  return p;
}

const ratings = new Table({
  user: vectorFromArray(["ann", "bob", "bob", "cy", "cy", "cy"]),
  item: vectorFromArray(["x", "y", "z", "z", "y", "z"]),
});

async function loadError(path: string): Promise<{ message: string; exit: number }> {
  try {
    await loadPipelineFile(path);
  } catch (e) {
    return { message: (e as Error).message, exit: (e as { exitCode?: number }).exitCode ?? 1 };
  }
  throw new Error("expected an error");
}

describe("index-to-string labelsFrom", () => {
  it("maps indices back with the fitted indexer's labels of the column it reads, and saves them as Spark's labels", async () => {
    const { spec, registry } = await loadPipelineFile(
      file(
        "ok.yaml",
        `  - {type: string-indexer, name: ids, inputCols: [user, item], outputCols: [u, i]}
  - {type: index-to-string, name: items-back, inputCol: i, outputCol: itemAgain, labelsFrom: ids}
  - {type: index-to-string, name: users-back, inputCol: u, outputCol: userAgain, labelsFrom: ids}
`,
      ),
    );
    const stages = buildPipelineStages(registry, spec.pipeline, spec.seed);
    const model = await fitPipeline(stages, ratings, quietContext(), "pipeline_t");
    const out = await model.transform(ratings, quietContext());
    expect(out.getChild("itemAgain")!.toArray().map(String)).toEqual(["x", "y", "z", "z", "y", "z"]);
    expect(out.getChild("userAgain")!.toArray().map(String)).toEqual(["ann", "bob", "bob", "cy", "cy", "cy"]);
    // Spark's frequencyDesc order: z (3) before y (2) before x (1).
    const saved = model.stages[1].save();
    expect(saved.paramMap.labels).toEqual(["z", "y", "x"]);
  });

  it("is refused when loading the file (exit 2, the line and the key) unless it names an earlier string-indexer", async () => {
    const missing = await loadError(
      file(
        "missing.yaml",
        `  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i]}\n  - {type: index-to-string, inputCol: i, labelsFrom: indexer}\n`,
      ),
    );
    expect(missing.exit).toBe(2);
    expect(missing.message).toMatch(
      /missing\.yaml:5:\d+ pipeline\[1\] \(index-to-string\)\.labelsFrom no earlier pipeline stage is named "indexer"; earlier stages: string-indexer/,
    );
    const later = await loadError(
      file(
        "later.yaml",
        `  - {type: index-to-string, inputCol: i, labelsFrom: ids}\n  - {type: string-indexer, name: ids, inputCols: [user, item], outputCols: [u, i]}\n`,
      ),
    );
    expect(later.message).toMatch(/names "ids", which is pipeline\[1\], after this stage/);
    const notIndexer = await loadError(
      file(
        "als.yaml",
        `  - {type: string-indexer, inputCols: [user, item], outputCols: [u, i]}\n  - {type: als, userCol: u, itemCol: i}\n  - {type: index-to-string, inputCol: i, labelsFrom: als}\n`,
      ),
    );
    expect(notIndexer.message).toMatch(/names "als", a als stage; it must name a string-indexer/);
  });
});
