import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isInputError } from "../../src/core/errors.js";
import { loadSavedStage } from "../../src/io/model-store.js";

/** A model directory is read only inside itself: a symlink pointing out of it is refused, never followed. */
const tmp = mkdtempSync(path.join(os.tmpdir(), "recpipe-model-escape-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("model directory reads", () => {
  it("refuse a metadata/ folder that is a symlink to outside the model", async () => {
    const outside = path.join(tmp, "outside/metadata");
    mkdirSync(outside, { recursive: true });
    writeFileSync(
      path.join(outside, "part-00000"),
      JSON.stringify({
        class: "org.apache.spark.ml.PipelineModel",
        timestamp: 0,
        sparkVersion: "3.5.0",
        uid: "x",
        paramMap: { stageUids: [] },
        defaultParamMap: {},
      }) + "\n",
    );
    // The same metadata inside a real folder loads: the refusal below is about the link, not the content.
    cpSync(path.join(tmp, "outside"), path.join(tmp, "ok"), { recursive: true });
    await expect(loadSavedStage(path.join(tmp, "ok"))).resolves.toMatchObject({ className: "org.apache.spark.ml.PipelineModel" });

    const model = path.join(tmp, "model");
    mkdirSync(model);
    symlinkSync(outside, path.join(model, "metadata"));
    let caught: unknown;
    try {
      await loadSavedStage(model);
    } catch (e) {
      caught = e;
    }
    expect(isInputError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe("E_MODEL");
    expect((caught as Error).message).toContain("metadata: is a symbolic link");
  });
});
