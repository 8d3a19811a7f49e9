import { describe, expect, it } from "vitest";
import { quietContext } from "../../src/core/run-context.js";

describe("quietContext", () => {
  it("keeps the defaults for overrides given as undefined (optional options passed through)", () => {
    const ctx = quietContext({ progress: undefined, log: undefined, workers: 3 });
    expect(ctx.workers).toBe(3);
    expect(() => ctx.progress.start("x", 1, "B").done()).not.toThrow();
    expect(() => ctx.log("x")).not.toThrow();
  });
});
